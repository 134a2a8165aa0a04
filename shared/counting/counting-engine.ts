import { applyToWindow, type ListenerWindow } from './listener-window.ts';
import { computeWindowKey, prepareRequest, type AgentJudgement, type CountableRecord, type CountingRules } from './prepare-request.ts';
import type { Verdict } from './verdict.ts';
import { computeDayStart, computeWindowExpiry, dayMs } from './windows.ts';

/**
 * The counting engine over a stream of records with its listener windows in memory: the
 * `earshot count` command and the benchmarks use it; the `count` function runs the same rules
 * with the windows in Firestore. Records should come roughly in time order; `forgetBefore`
 * drops windows that can no longer change, which keeps memory bounded on long streams.
 */
export class CountingEngine {
  readonly #windows = new Map<string, ListenerWindow>();
  readonly #rules: CountingRules;
  readonly #judge: (userAgent: string) => AgentJudgement;

  constructor(rules: CountingRules, judge: (userAgent: string) => AgentJudgement) {
    this.#rules = rules;
    this.#judge = judge;
  }

  get openWindows(): number {
    return this.#windows.size;
  }

  count(record: CountableRecord): Verdict {
    const prepared = prepareRequest(record, this.#judge(record.user_agent), this.#rules);
    if (prepared.verdict) return prepared.verdict;
    const { request } = prepared;
    const mode = this.#rules.window;
    const day = mode === 'calendar' ? computeDayStart(request.ts) : undefined;
    let key = computeWindowKey(record, record.household_key, day);
    let window = this.#windows.get(key);
    if (!window && record.household_key_prev !== undefined && mode !== 'calendar') {
      // A window opened last month is stored under last month's household key.
      const previousKey = computeWindowKey(record, record.household_key_prev, day);
      window = this.#windows.get(previousKey);
      if (window) key = previousKey;
    }
    const outcome = applyToWindow(mode, window, request);
    if (outcome.window !== window) this.#windows.set(key, outcome.window);
    return outcome.verdict;
  }

  /** Forgets windows whose expiry (end plus a day of grace) is before `ts`. */
  forgetBefore(ts: number): number {
    let forgotten = 0;
    for (const [key, window] of this.#windows) {
      if (computeWindowExpiry(this.#rules.window, window.start, window.last) - dayMs < ts) {
        this.#windows.delete(key);
        forgotten++;
      }
    }
    return forgotten;
  }
}
