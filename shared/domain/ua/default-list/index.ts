import type { UaPatternLists } from '../classifier.ts';
import { apps } from './apps.ts';
import { bots } from './bots.ts';
import { browsers } from './browsers.ts';
import { devices } from './devices.ts';
import { libraries } from './libraries.ts';

/**
 * The project's own pattern list, written for Earshot in the OPAWG user-agents-v2 format (not a
 * copy of OPAWG's files): what `earshot` uses unless `--ua-list DIR` or config `ua_list` names a
 * pinned OPAWG release.
 */
export const defaultPatternLists: UaPatternLists = { bots, apps, libraries, browsers, devices };
