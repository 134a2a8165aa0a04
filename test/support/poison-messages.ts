import { isUtf8 } from 'node:buffer';
import { computeVerdict } from '../../shared/domain/counting/verdict.ts';
import { toBeaconEventRow } from '../../shared/domain/facts/beacon-event-row.ts';
import type { Topic } from '../../shared/contracts/ports.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { enrichedBeacon } from './beacons.ts';

/** A dead letter a poison message must leave: its reason, and its payload when not the message itself. */
export interface ExpectedDeadLetter {
  reason: RegExp;
  payload?: string;
}

/** A message that can never be processed, and what it must leave in `dead_letters`. */
export interface PoisonMessage {
  topic: Topic;
  data: Buffer;
  /** Whether the whole message is refused (else only some of its rows are). */
  wholeMessage: boolean;
  rows: ExpectedDeadLetter[];
}

const notJson = /^message is not JSON: /;
const notSchema = /^message does not match its schema: /;

const whole = (topic: Topic, data: string | Buffer, reason: RegExp): PoisonMessage => ({
  topic,
  data: typeof data === 'string' ? Buffer.from(data) : data,
  wholeMessage: true,
  rows: [{ reason }],
});

/** How a dead letter keeps a message's bytes: the text, or base64 when they are not UTF-8. */
export function toPoisonPayload(data: Buffer): string {
  return isUtf8(data) ? data.toString('utf8') : `base64:${data.toString('base64')}`;
}

/** The valid `beacon_events` row that the mixed `facts` poison message carries beside its bad one. */
export const goodRowInsertId = 'p1/poison-test-good-row';

function goodBeaconEventRow(): Record<string, unknown> {
  const beacon = enrichedBeacon({ event_id: 'poison-test-good-row' });
  const row = toBeaconEventRow(beacon, computeVerdict(beacon.event_id, 'counted'), loadDefaultClassifier().classify(beacon.user_agent));
  return { ...row };
}

/**
 * Poison for every Pub/Sub function: bytes that are not JSON (nor UTF-8), JSON of the wrong shape,
 * and a `facts` message whose one bad row sits beside a good one (`goodRowInsertId`). None is
 * empty: Pub/Sub refuses a message with neither data nor attributes.
 */
export function poisonMessages(): PoisonMessage[] {
  const goodRow = goodBeaconEventRow();
  const badRow = { ...goodRow, insert_id: 'poison-test/bad-row', counted: 'yes', reason: 42 };
  return [
    whole('beacons', 'not json', notJson),
    whole('beacons', Buffer.from([0x6e, 0x6f, 0xff, 0xfe, 0x00, 0x7b]), notJson),
    whole('beacons', '{"records":[{"nope":1}]}', notSchema),
    whole('beacons', '{"records":[]}', notSchema),
    whole('beacons', 'null', notSchema),
    whole('beacons', '[1,2,3]', notSchema),
    whole('beacons', '['.repeat(3000) + ']'.repeat(3000), notSchema),
    whole('beacons', '{"__proto__":{"records":[]},"records":"x"}', notSchema),
    whole('conversions', '{"conversions":[{"advertiser":"x"}', notJson),
    whole('conversions', '{"conversions":[{"advertiser":"x"}]}', notSchema),
    whole('facts', '{"table":"no_such_table","rows":[{"insert_id":"a"}]}', notSchema),
    whole('facts', '{"table":"beacon_events","rows":[]}', notSchema),
    {
      topic: 'facts',
      data: Buffer.from(JSON.stringify({ table: 'beacon_events', rows: [goodRow, badRow] })),
      wholeMessage: false,
      rows: [{ reason: /^beacon_events row invalid: /, payload: JSON.stringify(badRow) }],
    },
  ];
}
