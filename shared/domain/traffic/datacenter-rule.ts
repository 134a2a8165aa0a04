import { computeVerdict, type Verdict, type VerdictReason } from '../counting/verdict.ts';
import type { TrafficRules } from './traffic-rules.ts';

/** Verdicts the listener window gave: the ones the data-centre rule replaces (the count function decides it before the window). */
const windowReasons: ReadonlySet<VerdictReason> = new Set(['counted', 'already_counted', 'below_minimum', 'late_event']);

/**
 * MRC IVT Guidelines (GIVT: known data-centre traffic): a request from a hosting or cloud network
 * is not a listener. It comes after the request and User-Agent rules (a bot in a data centre stays
 * `bot`, a HEAD stays `not_get`) and replaces what the listener window said, so such a request is
 * kept with reason `datacenter` and never counted, its ads never delivered. Apps on the allow-list
 * fetch on their servers for their listeners and are judged as if they came from home.
 */
export function screenDatacenter(verdict: Verdict, datacenter: string | undefined, appName: string | null, rules: TrafficRules): Verdict {
  if (!windowReasons.has(verdict.reason) || !isDatacenterRequest(datacenter, appName, rules)) return verdict;
  return computeVerdict(verdict.event_id, 'datacenter');
}

/** Whether the data-centre rule sets a request apart, whatever its listener window would say. */
export function isDatacenterRequest(datacenter: string | undefined, appName: string | null, rules: TrafficRules): boolean {
  return datacenter !== undefined && !(appName !== null && rules.datacenterAllowApps.has(appName));
}
