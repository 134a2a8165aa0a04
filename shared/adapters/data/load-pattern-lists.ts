import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Validation } from '../../contracts/schemas/validator.ts';
import { UaClassifier, type UaPatternLists } from '../../domain/ua/classifier.ts';
import { defaultPatternLists } from '../../domain/ua/default-list/index.ts';
import { tryParsePatternFile, type PatternFile } from '../../domain/ua/pattern-file.ts';

/** The files of an OPAWG user-agents-v2 release that the classifier reads. */
export const opawgFileNames: Readonly<Record<keyof UaPatternLists, string>> = {
  bots: 'bots.json',
  apps: 'apps.json',
  libraries: 'libraries.json',
  browsers: 'browsers.json',
  devices: 'devices.json',
};

/** A classifier over the project's own pattern list (shared/domain/ua/default-list/). */
export function loadDefaultClassifier(): UaClassifier {
  return new UaClassifier(defaultPatternLists);
}

/**
 * Reads and checks the five pattern files of an OPAWG release folder (`--ua-list DIR`, config
 * `ua_list`). Every error's path names the file (and the entry, for a pattern that doesn't compile).
 */
export async function tryReadOpawgDirectory(dir: string): Promise<Validation<UaPatternLists>> {
  const unreadable = await tryFindDirectoryError(dir);
  if (unreadable) return { ok: false, errors: [{ path: dir, rule: 'read', message: unreadable }] };
  const read = (list: keyof UaPatternLists) => tryReadPatternFile(dir, opawgFileNames[list]);
  const [bots, apps, libraries, browsers, devices] = await Promise.all([
    read('bots'),
    read('apps'),
    read('libraries'),
    read('browsers'),
    read('devices'),
  ]);
  if (bots.ok && apps.ok && libraries.ok && browsers.ok && devices.ok) {
    return { ok: true, value: { bots: bots.value, apps: apps.value, libraries: libraries.value, browsers: browsers.value, devices: devices.value } };
  }
  return { ok: false, errors: [bots, apps, libraries, browsers, devices].flatMap((file) => (file.ok ? [] : file.errors)) };
}

/** A classifier over an OPAWG release folder, or the reasons it can't be loaded. */
export async function loadOpawgDirectory(dir: string): Promise<Validation<UaClassifier>> {
  const lists = await tryReadOpawgDirectory(dir);
  return lists.ok ? { ok: true, value: new UaClassifier(lists.value) } : lists;
}

/** The classifier a command or function should use: the OPAWG folder when given, else the default. */
export async function loadUaClassifier(uaList: string | undefined): Promise<Validation<UaClassifier>> {
  return uaList === undefined ? { ok: true, value: loadDefaultClassifier() } : loadOpawgDirectory(uaList);
}

async function tryFindDirectoryError(dir: string): Promise<string | undefined> {
  try {
    return (await stat(dir)).isDirectory() ? undefined : 'is not a directory';
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

async function tryReadPatternFile(dir: string, fileName: string): Promise<Validation<PatternFile>> {
  const path = join(dir, fileName);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { ok: false, errors: [{ path: `${path}#/`, rule: 'read', message: `cannot be read (${reason})` }] };
  }
  return tryParsePatternFile(text, path);
}
