import { PubSub } from '@google-cloud/pubsub';
import { inject } from 'vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerificationHandler } from '../../functions/verification/handler.ts';
import { createWarehouseHandler } from '../../functions/warehouse/handler.ts';
import type { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import type { PubSubBus } from '../../shared/adapters/gcp/pubsub-bus.ts';
import { DuckDbWarehouse } from '../../shared/adapters/local/duckdb-warehouse.ts';
import type { StateStore } from '../../shared/contracts/ports.ts';
import { emulatorBus, emulatorStateStore, uniqueName } from '../support/emulators.ts';
import { fixedClock, quietLog, testConfig } from '../support/fixtures.ts';
import { PullSubscription, toEvent } from '../support/pubsub-pull.ts';
import { newWebhookSecret, signedCallback } from '../support/webhooks.ts';

// Topics of its own emulator project: other test files pull `facts` in the shared project, and
// would see these messages (and these tests theirs).
const isolatedProject = 'earshot-verification-test';
const isolatedPubSub = () =>
  new PubSub({ projectId: isolatedProject, apiEndpoint: inject('pubsubEmulatorHost'), emulatorMode: true, universeDomain: 'googleapis.com' });

/** The state store, recording what each createIfAbsent answered. */
function recordingCreates(store: StateStore): { store: StateStore; created: boolean[] } {
  const created: boolean[] = [];
  return {
    created,
    store: {
      getMany: (collection, ids) => store.getMany(collection, ids),
      transact: (collection, ids, decide) => store.transact(collection, ids, decide),
      createIfAbsent: async (collection, id, doc, expiresAt) => {
        const won = await store.createIfAbsent(collection, id, doc, expiresAt);
        created.push(won);
        return won;
      },
    },
  };
}

describe('verification through the Firestore and Pub/Sub emulators', () => {
  const secret = newWebhookSecret();
  let vendor: string;
  let admin: PubSub;
  let bus: PubSubBus;
  let firestore: FirestoreStateStore;
  let facts: PullSubscription;
  let warehouse: DuckDbWarehouse;
  let created: boolean[];
  let handler: ReturnType<typeof createVerificationHandler>;

  beforeEach(async () => {
    vendor = uniqueName('vendor'); // the dedupe documents of earlier runs stay in the emulator
    admin = isolatedPubSub();
    bus = emulatorBus(isolatedProject);
    // The tests' clock for TTLs too, so the marks are live whatever the real date.
    firestore = emulatorStateStore(() => fixedClock.now().getTime());
    const recording = recordingCreates(firestore);
    created = recording.created;
    facts = await PullSubscription.create(admin, 'facts');
    warehouse = await DuckDbWarehouse.open(':memory:');
    const config = { ...testConfig, vendors: [{ id: vendor, secrets: [secret] }] };
    handler = createVerificationHandler({ config, bus, state: recording.store, clock: fixedClock, log: quietLog });
  });
  afterEach(() => Promise.all([bus.close(), admin.close(), firestore.close(), facts.close(), warehouse.close()]));

  /** Runs whatever reached `facts` through the warehouse function into DuckDB. */
  async function store(): Promise<{ messages: number; rows: unknown[] }> {
    const write = createWarehouseHandler({ warehouse, clock: fixedClock, log: quietLog });
    const messages = await facts.drain();
    for (const message of messages) await write(toEvent(message, isolatedProject));
    const { rows } = await warehouse.query('SELECT vendor, impression_id, ivt FROM verification_events ORDER BY impression_id');
    return { messages: messages.length, rows };
  }

  const callback = () =>
    signedCallback(vendor, JSON.stringify({ events: [{ impression_id: 'imp-1', campaign_id: 'camp-1', measured_at: '2026-11-20T10:00:00Z', ivt: 'sivt', reasons: ['hijacked_device'] }] }), {
      secret,
      webhookId: 'msg_twice',
    });

  it('stores a callback delivered twice once: one mark, one message, one row', async () => {
    const request = callback();
    expect((await handler(request)).status).toBe(204);
    expect((await handler(request)).status).toBe(204);
    expect(created).toEqual([true]);
    expect(await store()).toEqual({ messages: 1, rows: [{ vendor, impression_id: 'imp-1', ivt: 'sivt' }] });
  });

  it('stores a callback delivered twice at once once: one createIfAbsent winner, one row', async () => {
    const request = callback();
    const responses = await Promise.all([handler(request), handler(request)]);
    expect(responses.map((r) => r.status)).toEqual([204, 204]);
    // Both may pass the read and publish (the facts are keyed); exactly one marks the webhook.
    expect(created.filter(Boolean)).toHaveLength(1);
    expect((await store()).rows).toEqual([{ vendor, impression_id: 'imp-1', ivt: 'sivt' }]);
  });
});
