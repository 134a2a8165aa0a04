import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ttlField, type FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state.ts';
import { GoogleApiError } from '../../shared/adapters/gcp/google-api.ts';
import { emulatorFirestore, emulatorStateStore, uniqueName } from '../support/emulators.ts';

interface Doc {
  v: number;
}

const t0 = Date.parse('2026-11-20T12:00:00Z');
const at = (offsetMs: number) => new Date(t0 + offsetMs);

/**
 * The emulator locks pessimistically and aborts contending transactions on a ~3 s lock timeout
 * (firebase-tools#8105), so under heavy contention the client's 5 attempts can run out. ABORTED
 * means nothing was committed; the caller retries it, as a Pub/Sub redelivery would.
 */
async function retryAborted<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof GoogleApiError) || err.code !== 'ABORTED' || attempt === 5) throw err;
    }
  }
}

describe('FirestoreStateStore on the Firestore emulator', () => {
  let db: Firestore;
  let now: number;
  let store: FirestoreStateStore;
  let col: string;

  beforeAll(() => {
    db = emulatorFirestore();
    store = emulatorStateStore(() => now);
  });
  afterAll(() => store.close());
  beforeEach(() => {
    now = t0;
    col = uniqueName('state');
  });

  it('getMany answers in the order asked, absent ids as undefined', async () => {
    await store.createIfAbsent<Doc>(col, 'a', { v: 1 });
    await store.createIfAbsent<Doc>(col, 'c', { v: 3 });
    expect(await store.getMany<Doc>(col, ['c', 'missing', 'a', 'c'])).toEqual([{ v: 3 }, undefined, { v: 1 }, { v: 3 }]);
    expect(await store.getMany<Doc>(col, [])).toEqual([]);
  });

  it('createIfAbsent creates once, then refuses without overwriting', async () => {
    expect(await store.createIfAbsent<Doc>(col, 'k', { v: 1 })).toBe(true);
    expect(await store.createIfAbsent<Doc>(col, 'k', { v: 2 })).toBe(false);
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([{ v: 1 }]);
  });

  it('stores the TTL field as a Firestore timestamp for the TTL policy', async () => {
    await store.createIfAbsent<Doc>(col, 'k', { v: 1 }, at(60_000));
    const raw = (await db.collection(col).doc('k').get()).data();
    expect(raw?.[ttlField]?.toMillis()).toBe(t0 + 60_000);
  });

  it('reads a document as absent once it has expired, though TTL has not deleted it', async () => {
    await store.createIfAbsent<Doc>(col, 'k', { v: 1 }, at(60_000));
    now = t0 + 59_999;
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([{ v: 1 }]);
    now = t0 + 60_000;
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([undefined]);
    expect((await db.collection(col).doc('k').get()).exists).toBe(true);
  });

  it('createIfAbsent replaces an expired document, and refuses a live one', async () => {
    await store.createIfAbsent<Doc>(col, 'k', { v: 1 }, at(1_000));
    now = t0 + 5_000;
    expect(await store.createIfAbsent<Doc>(col, 'k', { v: 2 }, at(10_000))).toBe(true);
    expect(await store.createIfAbsent<Doc>(col, 'k', { v: 3 })).toBe(false);
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([{ v: 2 }]);
  });

  it('lets only one of many concurrent createIfAbsent calls over an expired document win', async () => {
    await store.createIfAbsent<Doc>(col, 'k', { v: 0 }, at(1_000));
    now = t0 + 5_000;
    const won = await Promise.all(Array.from({ length: 10 }, (_, i) => retryAborted(() => store.createIfAbsent<Doc>(col, 'k', { v: i + 1 }))));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([{ v: won.indexOf(true) + 1 }]);
  });

  it('transact reads, writes and answers; expired documents are passed as absent', async () => {
    await store.createIfAbsent<Doc>(col, 'old', { v: 7 }, at(1_000));
    await store.createIfAbsent<Doc>(col, 'live', { v: 5 });
    now = t0 + 5_000;
    const result = await store.transact<Doc, string>(col, ['old', 'live', 'new'], (current) => ({
      writes: [{ id: 'new', doc: { v: (current[1]?.v ?? 0) + 1 }, expiresAt: at(60_000) }],
      result: JSON.stringify(current),
    }));
    expect(result).toBe(JSON.stringify([undefined, { v: 5 }, undefined]));
    expect(await store.getMany<Doc>(col, ['old', 'live', 'new'])).toEqual([undefined, { v: 5 }, { v: 6 }]);
  });

  it('transact with no writes changes nothing and returns the result', async () => {
    await store.createIfAbsent<Doc>(col, 'k', { v: 1 });
    expect(await store.transact<Doc, number>(col, ['k'], (current) => ({ writes: [], result: current[0]?.v ?? -1 }))).toBe(1);
    expect(await store.transact<Doc, string>(col, [], () => ({ writes: [], result: 'none read' }))).toBe('none read');
    expect(await store.getMany<Doc>(col, ['k'])).toEqual([{ v: 1 }]);
  });

  it('transact is atomic under contention: 20 concurrent increments make 20', async () => {
    const increment = () =>
      retryAborted(() =>
        store.transact<Doc, number>(col, ['counter'], ([current]) => {
          const v = (current?.v ?? 0) + 1;
          return { writes: [{ id: 'counter', doc: { v } }], result: v };
        }),
      );
    const results = await Promise.all(Array.from({ length: 20 }, increment));
    expect(await store.getMany<Doc>(col, ['counter'])).toEqual([{ v: 20 }]);
    // Each call saw a distinct value: no two committed on the same read.
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
