import { applyToWindow, windowLayout, type ListenerWindow } from './listener-window.ts';
import { extendPacked, openPacked } from './packed-window.ts';
import { computeWindowKey, isVerdict, prepareRequest, type AgentJudgement, type CountableRecord, type CountingRules } from './prepare-request.ts';
import { computeCheckHash31, computeHash31, computeKeyHashes } from './hash31.ts';
import { chunkMask, fitsChunk, WindowArena } from './window-arena.ts';
import { noOffset, WindowIndex } from './window-index.ts';
import { computeVerdict, type Verdict } from './verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from './windows.ts';

const agentCacheSize = 10_000;
const windowCheck = windowLayout.check;
/** `#find`: the window is kept apart, in the map by full key. */
const apart = -2;

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
 * `earshot count` command and the benchmarks use it; the `count` function runs the same rules
 * with the windows in Firestore. Windows are found by a 30-bit hash of their key in a
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
  // The key of the window being looked up; the hot path allocates nothing for it.
  readonly #hashes = new Int32Array(2);
  /** The full key when the window looked up is kept apart, else ''. */
  #apartKey = '';
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

  /**
   * Looks up the window of (record, household, agent, day): its index entry when it is packed
   * under this key, -1 if there is none, or `apart` (with `#apartKey` set) when the map holds
   * it or would. Leaves the key's hashes for the step that stores the window.
   */
  #find(record: CountableRecord, householdKey: string, agent: KnownAgent, day: number): number {
    computeKeyHashes(this.#hashes, record.platform, householdKey, record.episode_id, agent.hash, agent.check, day);
    this.#apartKey = '';
    const slot = this.#index.find(this.#hashes[0]!);
    if (slot < 0) return slot;
    const offset = this.#index.offset(slot);
    if (offset !== noOffset && this.#arena.chunk(offset)[(offset & chunkMask) + windowCheck] === this.#hashes[1]) return slot;
    this.#apartKey = computeWindowKey(record, householdKey, day);
    return apart;
  }

  /** A copy of the window `#find` found, or undefined. */
  #read(slot: number): ListenerWindow | undefined {
    if (slot >= 0) return this.#arena.read(this.#index.offset(slot));
    return slot === apart ? this.#apart.get(this.#apartKey)?.window.slice() : undefined;
  }

  /** Stores `window` under the key `#find` hashed last. */
  #store(window: ListenerWindow, record: CountableRecord, householdKey: string, day: number): void {
    const hash = this.#hashes[0]!;
    window[windowCheck] = this.#hashes[1]!;
    if (this.#apartKey) {
      this.#apart.set(this.#apartKey, { window, hash });
      return;
    }
    const slot = this.#index.insert(hash);
    const old = this.#index.offset(slot);
    if (old !== noOffset) this.#arena.free(old);
    if (fitsChunk(window.length)) this.#index.setOffset(slot, this.#arena.write(hash, window));
    else {
      this.#apart.set(computeWindowKey(record, householdKey, day), { window, hash });
      this.#index.setOffset(slot, noOffset);
    }
  }

  count(record: CountableRecord): Verdict {
    const agent = this.#agent(record.user_agent);
    const request = prepareRequest(record, agent.judgement, this.#rules);
    if (isVerdict(request)) return request;
    if (this.#arena.needsCompaction) this.#arena.compact(this.#moved);
    const mode = this.#rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : -1;
    const slot = this.#find(record, record.household_key, agent, day);
    if (request.ads.length === 0) {
      if (slot >= 0) {
        const reason = extendPacked(this.#index, slot, this.#arena, mode, request);
        if (reason) return computeVerdict(request.eventId, reason);
      } else if (slot === -1 && (record.household_key_prev === undefined || mode === 'calendar')) {
        const reason = openPacked(this.#index, this.#index.insert(this.#hashes[0]!), this.#arena, this.#hashes, mode, request);
        return computeVerdict(request.eventId, reason);
      }
    }
    let window = this.#read(slot);
    let carried = false;
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      // A window opened last month is stored under last month's household key. It is carried over
      // to this month's key (hashed again so `#store` stores there): only the first day of a month
      // brings last month's key, and an extending window can outlast that day. The old entry stays
      // for late records of last month.
      window = this.#read(this.#find(record, record.household_key_prev, agent, day));
      carried = window !== undefined;
      this.#find(record, record.household_key, agent, day);
    }
    const outcome = applyToWindow(mode, window, request);
    if (outcome.window !== window || carried) this.#store(outcome.window, record, record.household_key, day);
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
