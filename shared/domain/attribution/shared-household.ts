import type { Exposure } from './exposure.ts';

const daySeconds = 86_400;

/**
 * The most distinct User-Agents the household showed on one UTC day from `sinceMs` up to the
 * conversion: agents of every exposure that day (any advertiser, ghost or not) plus, on the
 * conversion's day, the converting agent. Many agents behind one address mean an office or a
 * carrier NAT, where matching by IP says little about who heard an ad.
 */
export function computeBusiestDayAgents(exposures: readonly Exposure[], conversion: { ms: number; uaHash: number }, sinceMs: number): number {
  const agentsByDay = new Map<number, Set<number>>();
  const add = (day: number, ua: number) => {
    let agents = agentsByDay.get(day);
    if (!agents) agentsByDay.set(day, (agents = new Set()));
    agents.add(ua);
  };
  for (const x of exposures) if (x.ts * 1000 >= sinceMs && x.ts * 1000 <= conversion.ms) add(Math.floor(x.ts / daySeconds), x.ua);
  add(Math.floor(conversion.ms / 1000 / daySeconds), conversion.uaHash);
  return Math.max(...[...agentsByDay.values()].map((agents) => agents.size));
}

/** Whether a household is taken for a shared network: more agents on one day than the threshold. */
export function isSharedHousehold(busiestDayAgents: number, threshold: number): boolean {
  return busiestDayAgents > threshold;
}
