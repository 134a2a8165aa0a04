import { BoundedCache } from './bounded-cache.ts';
import { compileFirstMatch, type FirstMatch } from './first-match.ts';
import type { PatternEntry, PatternFile } from './pattern-file.ts';

/** The five OPAWG user-agents-v2 files a classifier is built from. */
export interface UaPatternLists {
  bots: PatternFile;
  apps: PatternFile;
  libraries: PatternFile;
  browsers: PatternFile;
  devices: PatternFile;
}

export type UaType = 'app' | 'bot' | 'library' | 'browser' | 'unknown';

/** What a User-Agent is: the matched entry's file and name, its device, and the bot verdict. */
export interface UaClassification {
  readonly type: UaType;
  /** Entry name, null when unknown. */
  readonly name: string | null;
  /** Device entry name, null when no device entry matches. */
  readonly device: string | null;
  /** The device entry's category (mobile, smart_speaker, watch, ...), null when absent. */
  readonly device_category: string | null;
  /** True when the request must not count as a listener (README.md, What counts). */
  readonly bot: boolean;
}

/** Apple Watch downloads (`atc/`) are excluded from counts in their own right (README.md, What counts). */
export function isAppleWatch(userAgent: string): boolean {
  return userAgent.startsWith('atc/');
}

// Unknown agents that name themselves a bot, crawler, spider or scraper. Only applied to agents no
// list entry matched: a generic /bot/ rule ahead of the apps would call real apps bots.
const selfDeclaredBot = /bot(?![a-z])|crawl|spider|scraper/i;

/** Whether an agent no list knows should be taken for a bot: empty, or calling itself one. */
export function isSelfDeclaredBot(userAgent: string): boolean {
  return userAgent.trim() === '' || selfDeclaredBot.test(userAgent);
}

const defaultCacheSize = 10_000;
const matchOrder = ['bots', 'apps', 'libraries', 'browsers'] as const;
const typeOfList = { bots: 'bot', apps: 'app', libraries: 'library', browsers: 'browser' } as const;

interface Agent {
  readonly type: Exclude<UaType, 'unknown'>;
  readonly name: string;
  readonly bot: boolean;
}

/**
 * Classifies User-Agents with OPAWG user-agents-v2 semantics: the first entry that matches, over
 * bots, then apps, libraries, browsers in file order; devices matched on their own. Pure and
 * deterministic; results are cached per agent string (real traffic repeats agents heavily) and
 * shared between agents with the same outcome, so a cache hit allocates nothing.
 */
export class UaClassifier {
  readonly #agents: readonly Agent[];
  readonly #devices: readonly PatternEntry[];
  readonly #matchAgent: FirstMatch;
  readonly #matchDevice: FirstMatch;
  readonly #cache: BoundedCache<string, UaClassification>;
  readonly #outcomes = new Map<number, UaClassification>();

  constructor(lists: UaPatternLists, options: { cacheSize?: number } = {}) {
    const ordered = matchOrder.flatMap((list) => lists[list].entries.map((entry) => ({ list, entry })));
    this.#agents = ordered.map(({ list, entry }) => computeAgent(typeOfList[list], entry));
    this.#matchAgent = compileFirstMatch(ordered.map(({ entry }) => entry.pattern));
    this.#devices = lists.devices.entries;
    this.#matchDevice = compileFirstMatch(this.#devices.map((entry) => entry.pattern));
    this.#cache = new BoundedCache(options.cacheSize ?? defaultCacheSize);
  }

  /** The classification of one User-Agent header value; the same object for the same agent. */
  classify(userAgent: string): UaClassification {
    let result = this.#cache.get(userAgent);
    if (!result) {
      result = this.#compute(userAgent);
      this.#cache.set(userAgent, result);
    }
    return result;
  }

  #compute(userAgent: string): UaClassification {
    const blank = userAgent.trim() === '';
    const agentIndex = blank ? -1 : this.#matchAgent(userAgent);
    const deviceIndex = blank ? -1 : this.#matchDevice(userAgent);
    // Outcome key: agent -2 (unknown bot), -1 (unknown) or its index, times the device choices.
    const agentKey = agentIndex >= 0 ? agentIndex : isSelfDeclaredBot(userAgent) ? -2 : -1;
    const key = (agentKey + 2) * (this.#devices.length + 1) + deviceIndex + 1;
    let outcome = this.#outcomes.get(key);
    if (!outcome) {
      outcome = this.#describe(agentKey, deviceIndex);
      this.#outcomes.set(key, outcome);
    }
    return outcome;
  }

  #describe(agentKey: number, deviceIndex: number): UaClassification {
    const agent = agentKey >= 0 ? this.#agents[agentKey] : undefined;
    const device = deviceIndex >= 0 ? this.#devices[deviceIndex] : undefined;
    return Object.freeze({
      type: agent?.type ?? 'unknown',
      name: agent?.name ?? null,
      device: device?.name ?? null,
      device_category: device?.category ?? null,
      bot: agent?.bot ?? agentKey === -2,
    });
  }
}

function computeAgent(type: Agent['type'], entry: PatternEntry): Agent {
  // OPAWG marks scripted libraries (curl, python-requests, ...) with category "bot"; an app is
  // never a bot, whatever its agent says.
  const bot = type === 'bot' || (type === 'library' && entry.category === 'bot');
  return { type, name: entry.name, bot };
}
