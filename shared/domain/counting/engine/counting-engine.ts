import { applyToWindow } from '../listener-window.ts';
import { isVerdict, prepareRequest, type AgentJudgement, type CountableRecord, type CountingRules } from '../prepare-request.ts';
import { computeCheckHash31, computeHash31, computeKeyHashes } from '../hash31.ts';
import { windowLayout, type ListenerWindow } from '../state/window-format.ts';
import { anyDay, computeWindowKey } from '../state/window-key.ts';
import { computeVerdict, type Verdict } from '../verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from '../windows.ts';
import { extendPacked, openPacked } from './packed-window.ts';
import { chunkMask, fitsChunk, WindowArena } from './window-arena.ts';
import { noOffset, noSlot, WindowIndex } from './window-index.ts';

const agentCacheSize = 10_000;
const windowCheck = windowLayout.check;

/**
 * Where `#find` found a window: the index slot of a packed one, `noSlot` when there is none, or
 * the full key of one kept apart (in the map, or to be stored there).
 */
type Found = number | string;

interface KnownAgent {
  judgement: AgentJudgement;
  hash: number;
  check: number;
}

/** A window kept as an array: its key's hash collided with another key's, or it outgrew a chunk. */
interface ApartWindow {
  window: ListenerWindow;
  hash: number;
}

/**
 * The counting engine over a stream of records with its listener windows in memory: the
 * `earshot count` command and the benchmarks use it; the `count` function applies the same rules
 * to household documents in the state store, and one property test holds both to the plain rules. Windows are found by a 30-bit hash of their key in a
 * `WindowIndex` and kept packed in a `WindowArena`, confirmed by a second, independent hash kept
 * in the window; the rare key whose first hash is taken goes to a map keyed by the full key, so a
 * collision of first hashes never merges two listeners (both hashes alike: about 2^-60 a pair;
 * the User-Agent enters each through its own hash). Most requests are applied to the packed
 * window in place (`packed-window.ts`); the rest go through `applyToWindow` on a copy. Records
 * should come roughly in time order; `forgetBefore` drops windows that can no longer change.
 */
export class CountingEngine {
  readonly #index = new WindowIndex();
  readonly #arena = new WindowArena();
  readonly #apart = new Map<string, ApartWindow>();
  readonly #rules: CountingRules;
  readonly #judge: (userAgent: string) => AgentJudgement;
  // Real traffic repeats a few thousand agents: judge and hash each once.
  readonly #agents = new Map<string, KnownAgent>();
  // The key hashes of the window being looked up, and of last month's key: the hot path allocates nothing for them.
  readonly #hashes = new Int32Array(2);
  readonly #previousHashes = new Int32Array(2);
  readonly #moved = (hash: number, offset: number) => this.#index.relocate(hash, offset);

  constructor(rules: CountingRules, judge: (userAgent: string) => AgentJudgement) {
    this.#rules = rules;
    this.#judge = judge;
  }

  get openWindows(): number {
    return this.#arena.size + this.#apart.size;
  }

  #agent(userAgent: string): KnownAgent {
    let agent = this.#agents.get(userAgent);
    if (!agent) {
      if (this.#agents.size >= agentCacheSize) this.#agents.clear();
      agent = { judgement: this.#judge(userAgent), hash: computeHash31(userAgent), check: computeCheckHash31(userAgent) };
      this.#agents.set(userAgent, agent);
    }
    return agent;
  }

  /** Hashes the key of (record, household, agent, day) into `hashes` and looks its window up. */
  #find(hashes: Int32Array, record: CountableRecord, householdKey: string, agent: KnownAgent, day: number): Found {
    computeKeyHashes(hashes, record.platform, householdKey, agent.hash, agent.check, record.episode_id, day);
    const slot = this.#index.find(hashes[0]!);
    if (slot === noSlot) return noSlot;
    const offset = this.#index.offset(slot);
    if (offset !== noOffset && this.#arena.chunk(offset)[(offset & chunkMask) + windowCheck] === hashes[1]) return slot;
    return computeWindowKey({ platform: record.platform, householdKey, userAgent: record.user_agent, episodeId: record.episode_id, day });
  }

  /** A copy of the window `#find` found, or undefined. */
  #read(found: Found): ListenerWindow | undefined {
    if (typeof found === 'string') return this.#apart.get(found)?.window.slice();
    return found === noSlot ? undefined : this.#arena.read(this.#index.offset(found));
  }

  /** Stores `window` where `#find` found its key (hashed into `hashes`), or under it if new. */
  #store(window: ListenerWindow, found: Found, hashes: Int32Array, record: CountableRecord, day: number): void {
    const hash = hashes[0]!;
    window[windowCheck] = hashes[1]!;
    if (typeof found === 'string') {
      this.#apart.set(found, { window, hash });
      return;
    }
    const slot = this.#index.insert(hash);
    const old = this.#index.offset(slot);
    if (old !== noOffset) this.#arena.free(old);
    if (fitsChunk(window.length)) this.#index.setOffset(slot, this.#arena.write(hash, window));
    else {
      const key = computeWindowKey({ platform: record.platform, householdKey: record.household_key, userAgent: record.user_agent, episodeId: record.episode_id, day });
      this.#apart.set(key, { window, hash });
      this.#index.setOffset(slot, noOffset);
    }
  }

  count(record: CountableRecord): Verdict {
    const agent = this.#agent(record.user_agent);
    const request = prepareRequest(record, agent.judgement, this.#rules);
    if (isVerdict(request)) return request;
    if (this.#arena.needsCompaction) this.#arena.compact(this.#moved);
    const mode = this.#rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : anyDay;
    const hashes = this.#hashes;
    const found = this.#find(hashes, record, record.household_key, agent, day);
    if (request.ads.length === 0 && typeof found === 'number') {
      if (found !== noSlot) {
        const reason = extendPacked(this.#index, found, this.#arena, mode, request);
        if (reason) return computeVerdict(request.eventId, reason);
      } else if (record.household_key_prev === undefined || mode === 'calendar') {
        const reason = openPacked(this.#index, this.#index.insert(hashes[0]!), this.#arena, hashes, mode, request);
        return computeVerdict(request.eventId, reason);
      }
    }
    let window = this.#read(found);
    let carried = false;
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      // A window opened last month is stored under last month's household key. It is carried over
      // to this month's key: only the first day of a month brings last month's key, and an
      // extending window can outlast that day. The old entry stays for late records of last month.
      window = this.#read(this.#find(this.#previousHashes, record, record.household_key_prev, agent, day));
      carried = window !== undefined;
    }
    const outcome = applyToWindow(mode, window, request);
    if (outcome.window !== window || carried) this.#store(outcome.window, found, hashes, record, day);
    return outcome.verdict;
  }

  /** Forgets windows that ended before `ts` (seconds); answers how many. */
  forgetBefore(ts: number): number {
    const isDone = (start: number, last: number) => computeWindowExpiry(this.#rules.window, start, last) - daySeconds < ts;
    let forgotten = 0;
    this.#index.deleteWhere((offset) => {
      // Entries of windows kept apart go too; those still open are entered again below.
      if (offset === noOffset) return true;
      const w = this.#arena.chunk(offset);
      const i = offset & chunkMask;
      if (!isDone(w[i + windowLayout.start]!, w[i + windowLayout.last]!)) return false;
      this.#arena.free(offset);
      forgotten++;
      return true;
    });
    for (const [key, { window, hash }] of this.#apart) {
      if (isDone(window[windowLayout.start]!, window[windowLayout.last]!)) {
        this.#apart.delete(key);
        forgotten++;
      } else this.#index.insert(hash);
    }
    if (this.#arena.needsCompaction) this.#arena.compact(this.#moved);
    return forgotten;
  }
}
