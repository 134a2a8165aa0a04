import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toVerificationEventRows } from '../../../../shared/domain/facts/verification-event-row.ts';
import { VerificationEventRow } from '../../../../shared/contracts/schemas/rows.ts';
import { VerificationEvent } from '../../../../shared/contracts/schemas/verification.ts';
import { validatorFor } from '../../../../shared/contracts/schemas/validator.ts';
import { acmeAdapter } from '../../../../shared/domain/verification/adapters/acme.ts';
import { canonicalAdapter } from '../../../../shared/domain/verification/adapters/canonical.ts';
import { computeWebhookDocId } from '../../../../shared/domain/verification/webhook-doc-id.ts';

const event: VerificationEvent = { impression_id: 'imp-1', campaign_id: 'camp-1', measured_at: '2026-11-20T10:00:00Z', ivt: 'givt', reasons: ['data_center'] };

describe('canonical adapter', () => {
  const cases: Record<string, { body: unknown; events: number }> = {
    'one event': { body: event, events: 1 },
    'a batch': { body: { events: [event, { ...event, impression_id: 'imp-2' }] }, events: 2 },
    'a batch of 1000': { body: { events: Array.from({ length: 1000 }, (_, i) => ({ ...event, impression_id: `i${i}` })) }, events: 1000 },
    'every optional signal': { body: { ...event, geo_match: false, brand_safe: true, audible: true }, events: 1 },
  };
  for (const [name, { body, events }] of Object.entries(cases)) {
    it(`maps ${name}`, () => expect(canonicalAdapter.tryMapBody(body)).toMatchObject({ ok: true, value: { length: events } }));
  }

  const refused: Record<string, { body: unknown; path: string }> = {
    null: { body: null, path: '/' },
    'a string': { body: 'x', path: '/' },
    'an empty reason': { body: { ...event, reasons: [''] }, path: '/reasons/0' },
    'an id with a space': { body: { ...event, impression_id: 'a b' }, path: '/impression_id' },
    'a batch with a stray key': { body: { events: [event], vendor: 'x' }, path: '/vendor' },
    'reasons on valid traffic in a batch': { body: { events: [{ ...event, ivt: 'valid' }] }, path: '/events/0/reasons' },
  };
  for (const [name, { body, path }] of Object.entries(refused)) {
    it(`refuses ${name}, naming ${path}`, () => {
      const mapped = canonicalAdapter.tryMapBody(body);
      expect(mapped.ok).toBe(false);
      if (!mapped.ok) expect(mapped.errors.map((e) => e.path)).toContain(path);
    });
  }
});

describe('acme adapter (example of a differently shaped vendor)', () => {
  const measuredAtMs = Date.parse('2026-11-20T10:00:00Z');
  const result = { adId: 'imp-1', campaignRef: 'camp-1', measuredAtMs, verdict: 'PASS' };
  const cases: Record<string, { result: Record<string, unknown>; event: Record<string, unknown> }> = {
    'a pass': { result, event: { impression_id: 'imp-1', campaign_id: 'camp-1', measured_at: '2026-11-20T10:00:00.000Z', ivt: 'valid' } },
    'a pass with informational flags (dropped)': { result: { ...result, flags: ['BURST'] }, event: { ivt: 'valid' } },
    'general invalid with known and unknown flags': { result: { ...result, verdict: 'GENERAL_INVALID', flags: ['SPIDER', 'ODD_THING'] }, event: { ivt: 'givt', reasons: ['known_crawler', 'acme:odd_thing'] } },
    'sophisticated invalid': { result: { ...result, verdict: 'SOPHISTICATED_INVALID', flags: ['DEVICE_TAKEOVER'] }, event: { ivt: 'sivt', reasons: ['hijacked_device'] } },
    'tri-state signals': { result: { ...result, geo: 'IN_GEO', brandSafety: 'UNSAFE', audibility: 'AUDIBLE' }, event: { geo_match: true, brand_safe: false, audible: true } },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(`maps ${name}`, () => {
      const mapped = acmeAdapter.tryMapBody({ reportId: 'r', results: [c.result] });
      expect(mapped).toMatchObject({ ok: true, value: [c.event] });
    });
  }

  it('leaves out signals the vendor could not tell', () => {
    const mapped = acmeAdapter.tryMapBody({ results: [{ ...result, geo: 'UNKNOWN', brandSafety: 'UNRATED', audibility: 'UNMEASURED' }] });
    expect(mapped.ok && Object.keys(mapped.value[0] ?? {}).sort()).toEqual(['campaign_id', 'impression_id', 'ivt', 'measured_at']);
  });

  it('names its own fields in errors', () => {
    const mapped = acmeAdapter.tryMapBody({ results: [result, { ...result, measuredAtMs: -1 }, result] });
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.errors.map((e) => e.path)).toEqual(['/results/1/measuredAtMs']);
    const twice = acmeAdapter.tryMapBody({ results: [result, result] });
    expect(twice).toEqual({ ok: false, errors: [{ path: '/results/1/adId', rule: 'unique', message: 'repeats /results/0/adId' }] });
  });

  it('always yields valid canonical events', () => {
    const isCanonical = validatorFor(VerificationEvent);
    const id = fc.stringMatching(/^[^\s]{1,40}$/);
    const acmeResult = fc.record(
      {
        adId: id,
        campaignRef: id,
        measuredAtMs: fc.integer({ min: 0, max: 253_402_300_799_999 }),
        verdict: fc.constantFrom('PASS', 'GENERAL_INVALID', 'SOPHISTICATED_INVALID'),
        flags: fc.array(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,49}$/), { maxLength: 20 }),
        geo: fc.constantFrom('IN_GEO', 'OUT_OF_GEO', 'UNKNOWN'),
        brandSafety: fc.constantFrom('SAFE', 'UNSAFE', 'UNRATED'),
        audibility: fc.constantFrom('AUDIBLE', 'INAUDIBLE', 'UNMEASURED'),
      },
      { requiredKeys: ['adId', 'campaignRef', 'measuredAtMs', 'verdict'] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(acmeResult, { minLength: 1, maxLength: 5, selector: (r) => r.adId }), (results) => {
        const mapped = acmeAdapter.tryMapBody({ results });
        expect(mapped.ok).toBe(true);
        if (mapped.ok) for (const e of mapped.value) expect(isCanonical(e)).toMatchObject({ ok: true });
      }),
    );
  });
});

describe('verification_events rows', () => {
  it('are keyed by the ad too when the vendor names it, so the ads of one download are several impressions', () => {
    const rows = toVerificationEventRows({ vendor: 'v', webhookId: 'msg_1', receivedAt: '2026-11-20T12:00:00.000Z' }, [
      { ...event, ad_id: 'pre-1' },
      { ...event, ad_id: 'mid-1' },
    ]);
    expect(rows.map((r) => [r.insert_id, r.ad_id])).toEqual([
      ['v imp-1 pre-1', 'pre-1'],
      ['v imp-1 mid-1', 'mid-1'],
    ]);
    expect(canonicalAdapter.tryMapBody({ events: [{ ...event, ad_id: 'a' }, { ...event, ad_id: 'b' }] })).toMatchObject({ ok: true });
    expect(canonicalAdapter.tryMapBody({ events: [{ ...event, ad_id: 'a' }, { ...event, ad_id: 'a' }] })).toMatchObject({ ok: false, errors: [{ path: '/events/1/impression_id', rule: 'unique' }] });
  });

  it('are keyed by vendor and impression, and match the table schema', () => {
    const rows = toVerificationEventRows({ vendor: 'v', webhookId: 'msg_1', receivedAt: '2026-11-20T12:00:00.000Z' }, [event, { ...event, impression_id: 'imp-2', ivt: 'valid', reasons: undefined, audible: false }]);
    expect(rows.map((r) => r.insert_id)).toEqual(['v imp-1', 'v imp-2']);
    expect(rows[1]).toMatchObject({ reasons: [], audible: false });
    expect(rows[1]).not.toHaveProperty('geo_match');
    const valid = validatorFor(VerificationEventRow);
    for (const row of rows) expect(valid(row)).toMatchObject({ ok: true });
  });
});

describe('computeWebhookDocId', () => {
  it('is a Firestore-safe id whatever the vendor sent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.string({ maxLength: 3000 }), (vendor, webhookId) => {
        const id = computeWebhookDocId(vendor, webhookId);
        expect(id).not.toContain('/');
        expect(id).not.toMatch(/^__.*__$/);
        expect(Buffer.byteLength(id)).toBeLessThanOrEqual(1500);
      }),
    );
  });

  it('keeps vendors and webhook ids apart', () => {
    const ids = [computeWebhookDocId('a', 'b:c'), computeWebhookDocId('a:b', 'c'), computeWebhookDocId('a/b', 'c'), computeWebhookDocId('a-b', 'c'), computeWebhookDocId('a', 'b')];
    expect(new Set(ids).size).toBe(ids.length);
    expect(computeWebhookDocId('vendor', 'msg_1')).toMatch(/^vendor:[0-9a-f]{64}$/);
  });
});

describe('a callback with far too many events', () => {
  const many = Array.from({ length: 350_000 }, () => ({}));
  const cases: Array<[string, () => ReturnType<typeof canonicalAdapter.tryMapBody>, string]> = [
    ['canonical', () => canonicalAdapter.tryMapBody({ events: many }), '/events'],
    ['acme', () => acmeAdapter.tryMapBody({ results: many }), '/results'],
  ];
  for (const [name, map, path] of cases) {
    it(`${name}: one maxItems error at ${path}, found without checking every event`, () => {
      const started = performance.now();
      expect(map()).toEqual({ ok: false, errors: [{ path, rule: 'maxItems', message: 'must NOT have more than 1000 items' }] });
      expect(performance.now() - started).toBeLessThan(100);
    });
  }
});
