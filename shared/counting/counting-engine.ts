import { applyToWindow, windowCheck, windowTimes, type ListenerWindow } from './listener-window.ts';
import { computeWindowKey, isVerdict, prepareRequest, type AgentJudgement, type CountableRecord, type CountingRules } from './prepare-request.ts';
import { computeHash31, computeHashPair } from './hash31.ts';
import type { Verdict } from './verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from './windows.ts';

const agentCacheSize = 10_000;

interface KnownAgent {
  judgement: AgentJudgement;
  hash: number;
}

interface WindowSlot {
  key: string;
  hash: number;
  check: number;
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
  readonly #windows = new Map<number, ListenerWindow>();
  readonly #collided = new Map<string, ListenerWindow>();
  readonly #rules: CountingRules;
  readonly #judge: (userAgent: string) => AgentJudgement;
  // Real traffic repeats a few thousand agents: judge and hash each once.
  readonly #agents = new Map<string, KnownAgent>();

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

  #slot(record: CountableRecord, householdKey: string, agentHash: number, day: number): WindowSlot {
    const [hash, check] = computeHashPair([record.platform, householdKey, record.episode_id, agentHash, day]);
    return { key: '', hash, check };
  }

  #get(slot: WindowSlot, record: CountableRecord, householdKey: string, day: number): ListenerWindow | undefined {
    const window = this.#windows.get(slot.hash);
    if (window === undefined || window[windowCheck] === slot.check) return window;
    slot.key = computeWindowKey(record, householdKey, day);
    return this.#collided.get(slot.key);
  }

  #set(slot: WindowSlot, window: ListenerWindow): void {
    window[windowCheck] = slot.check;
    if (slot.key) this.#collided.set(slot.key, window);
    else this.#windows.set(slot.hash, window);
  }

  count(record: CountableRecord): Verdict {
    const agent = this.#agent(record.user_agent);
    const request = prepareRequest(record, agent.judgement, this.#rules);
    if (isVerdict(request)) return request;
    const mode = this.#rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : -1;
    let slot = this.#slot(record, record.household_key, agent.hash, day);
    let window = this.#get(slot, record, record.household_key, day);
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      // A window opened last month is stored under last month's household key.
      const previousSlot = this.#slot(record, record.household_key_prev, agent.hash, day);
      const previous = this.#get(previousSlot, record, record.household_key_prev, day);
      if (previous) [slot, window] = [previousSlot, previous];
    }
    const outcome = applyToWindow(mode, window, request);
    if (outcome.window !== window) this.#set(slot, outcome.window);
    return outcome.verdict;
  }

  /** Forgets windows that ended before `ts` (seconds); answers how many. */
  forgetBefore(ts: number): number {
    let forgotten = 0;
    for (const windows of [this.#windows, this.#collided] as Array<Map<unknown, ListenerWindow>>) {
      for (const [key, window] of windows) {
        const { start, last } = windowTimes(window);
        if (computeWindowExpiry(this.#rules.window, start, last) - daySeconds < ts) {
          windows.delete(key);
          forgotten++;
        }
      }
    }
    return forgotten;
  }
}
