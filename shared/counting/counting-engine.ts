import { applyToWindow, windowCheck, windowTimes, type ListenerWindow } from './listener-window.ts';
import { computeWindowKey, isVerdict, prepareRequest, type AgentJudgement, type CountableRecord, type CountingRules } from './prepare-request.ts';
import { computeHash31, computeKeyHashes } from './hash31.ts';
import { WindowTable } from './window-table.ts';
import type { Verdict } from './verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from './windows.ts';

const agentCacheSize = 10_000;

interface KnownAgent {
  judgement: AgentJudgement;
  hash: number;
}

/**
 * The counting engine over a stream of records with its listener windows in memory: the
 * `earshot count` command and the benchmarks use it; the `count` function runs the same rules
 * with the windows in Firestore. Windows are found by a 31-bit hash of their key and confirmed by
 * a second, independent hash kept in the window; the rare pair that shares the first hash goes
 * to a map keyed by the full key, so a collision never merges two listeners. Records should come
 * roughly in time order; `forgetBefore` drops windows that can no longer change.
 */
export class CountingEngine {
  readonly #windows = new WindowTable();
  readonly #collided = new Map<string, ListenerWindow>();
  readonly #rules: CountingRules;
  readonly #judge: (userAgent: string) => AgentJudgement;
  // Real traffic repeats a few thousand agents: judge and hash each once.
  readonly #agents = new Map<string, KnownAgent>();
  // The key of the window being looked up; the hot path allocates nothing for it.
  readonly #hashes = new Int32Array(2);
  #collidedKey = '';

  constructor(rules: CountingRules, judge: (userAgent: string) => AgentJudgement) {
    this.#rules = rules;
    this.#judge = judge;
  }

  get openWindows(): number {
    return this.#windows.size + this.#collided.size;
  }

  #agent(userAgent: string): KnownAgent {
    let agent = this.#agents.get(userAgent);
    if (!agent) {
      if (this.#agents.size >= agentCacheSize) this.#agents.clear();
      agent = { judgement: this.#judge(userAgent), hash: computeHash31(userAgent) };
      this.#agents.set(userAgent, agent);
    }
    return agent;
  }

  /** Finds the window of (record, household, agent, day); leaves its hashes for `#set`. */
  #get(record: CountableRecord, householdKey: string, agentHash: number, day: number): ListenerWindow | undefined {
    computeKeyHashes(this.#hashes, record.platform, householdKey, record.episode_id, agentHash, day);
    this.#collidedKey = '';
    const window = this.#windows.get(this.#hashes[0] as number);
    if (window === undefined || window[windowCheck] === this.#hashes[1]) return window;
    this.#collidedKey = computeWindowKey(record, householdKey, day);
    return this.#collided.get(this.#collidedKey);
  }

  #set(window: ListenerWindow): void {
    window[windowCheck] = this.#hashes[1] as number;
    if (this.#collidedKey) this.#collided.set(this.#collidedKey, window);
    else this.#windows.set(this.#hashes[0] as number, window);
  }

  count(record: CountableRecord): Verdict {
    const agent = this.#agent(record.user_agent);
    const request = prepareRequest(record, agent.judgement, this.#rules);
    if (isVerdict(request)) return request;
    const mode = this.#rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : -1;
    let window = this.#get(record, record.household_key, agent.hash, day);
    let carried = false;
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      // A window opened last month is stored under last month's household key. It is carried over
      // to this month's key (looked up again so `#set` stores there): only the first day of a month
      // brings last month's key, and an extending window can outlast that day. The old entry stays
      // for late records of last month.
      window = this.#get(record, record.household_key_prev, agent.hash, day);
      carried = window !== undefined;
      this.#get(record, record.household_key, agent.hash, day);
    }
    const outcome = applyToWindow(mode, window, request);
    // A copy when carried unchanged: `#set` writes the key check into the window it stores.
    if (outcome.window !== window) this.#set(outcome.window);
    else if (carried) this.#set(outcome.window.slice());
    return outcome.verdict;
  }

  /** Forgets windows that ended before `ts` (seconds); answers how many. */
  forgetBefore(ts: number): number {
    const isDone = (window: ListenerWindow) => {
      const { start, last } = windowTimes(window);
      return computeWindowExpiry(this.#rules.window, start, last) - daySeconds < ts;
    };
    let forgotten = this.#windows.deleteWhere(isDone);
    for (const [key, window] of this.#collided) {
      if (!isDone(window)) continue;
      this.#collided.delete(key);
      forgotten++;
    }
    return forgotten;
  }
}
