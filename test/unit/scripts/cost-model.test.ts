import { describe, expect, it } from 'vitest';
import { computePipelineCost, type FirestoreLocation, type Usage } from '../../../scripts/cost-model.ts';

const cost = (usage: Usage, service: string, location?: FirestoreLocation) => computePipelineCost(usage, location).find((l) => l.service.startsWith(service))?.perMillion;

describe('the cost model', () => {
  // One read, write and delete per ten beacons: 100,000 of each per million.
  const state: Usage = { state_reads: 0.1, state_writes: 0.1, state_deletes: 0.1 };
  const cases: Array<[FirestoreLocation | undefined, number]> = [
    [undefined, 0.03 + 0.09 + 0.01],
    ['regional', 0.03 + 0.09 + 0.01],
    ['nam5', 0.06 + 0.18 + 0.02],
  ];
  for (const [location, usd] of cases) {
    it(`prices Firestore documents in ${location ?? 'the default location'}`, () => expect(cost(state, 'Firestore', location)).toBeCloseTo(usd, 10));
  }

  it('bills Pub/Sub bytes as published, once published and once delivered', () => {
    const tib = 1024 ** 4;
    expect(cost({ bytes_beacons: 1000, bytes_facts: 500 }, 'Pub/Sub')).toBeCloseTo(((2 * 1500 * 1e6) / tib) * 40, 10);
  });

  it('streams rows at 1 KB at least, sized by the facts JSON before compression', () => {
    const gib = 1024 ** 3;
    expect(cost({ json_bytes_facts: 300, bytes_facts: 100 }, 'BigQuery streaming')).toBeCloseTo(((1024 * 1e6) / gib) * 0.05, 10);
    expect(cost({ json_bytes_facts: 2048, bytes_facts: 100 }, 'BigQuery streaming')).toBeCloseTo(((2048 * 1e6) / gib) * 0.05, 10);
  });
});
