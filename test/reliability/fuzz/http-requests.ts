import type { KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { createStudyAssigner } from '../../../cli/simulate/holdout.ts';
import { simulateTraffic, type SimulatedDay } from '../../../cli/simulate/traffic.ts';
import { signCallback } from '../../../cli/simulate/vendor-callback.ts';
import type { HttpFunctionName } from '../../../shared/composition/function-catalog.ts';
import type { EarshotConfig } from '../../../shared/contracts/schemas/config.ts';
import { fixedVendorKeyPair } from '../../support/fixed-config.ts';
import type { RawRequest } from '../../support/raw-http.ts';
import { computeEd25519Signature, newVendorKeyPair } from '../../support/webhooks.ts';
import { anyMethod, bodyEncoding, contentType, encodeBody, jsonBodies, noiseHeaders, pathSegment, queryString } from './mutations.ts';

const MiB = 1024 * 1024;

/** Valid traffic to mutate: one simulated day that ended yesterday, so no timestamp is in the future. */
function validTraffic(config: EarshotConfig): SimulatedDay {
  const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000);
  const [day] = simulateTraffic({ listeners: 500, days: 1, seed: 11, start, assignStudy: createStudyAssigner(config.studies) });
  if (!day) throw new Error('the simulation produced no day');
  return day;
}

const ndjson = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');
const jsonArray = (records: unknown[]) => JSON.stringify(records);

/** A record serialization the batch endpoints accept: NDJSON or one JSON array. */
const batchSerialization = fc.constantFrom(ndjson, jsonArray);

/** Oversized bodies: just over the callback limit (1 MiB) and the intake limit (10 MiB), and a gzip bomb. */
export const oversized = {
  overCallbackLimit: Buffer.alloc(MiB + 1, 0x20),
  overIntakeLimit: Buffer.alloc(10 * MiB + 1, 0x20),
  gzipBomb: gzipSync(Buffer.alloc(11 * MiB, 0x20)),
};

interface Keys {
  platform: string;
  advertiser: string;
  vendor: string;
  vendorSecret: string;
  /** The private half of the vendor's configured `whpk_` public key, for v1a signatures. */
  vendorPrivateKey: KeyObject;
}

function keysOf(config: EarshotConfig): Keys {
  const vendor = config.vendors[0];
  const platform = config.platforms[0]?.keys[0];
  const advertiser = config.advertisers[0]?.keys[0];
  const vendorSecret = vendor?.secrets.find((s) => s.startsWith('whsec_'));
  if (!vendor || !vendorSecret || !platform || !advertiser) throw new Error('the fuzz config needs a platform, a vendor and an advertiser with keys');
  if (!vendor.secrets.includes(fixedVendorKeyPair.publicKey)) throw new Error('the fuzz config’s vendor needs the fixed whpk_ public key');
  return { platform, advertiser, vendor: vendor.id, vendorSecret, vendorPrivateKey: fixedVendorKeyPair.privateKey };
}

/** `Authorization` values: the right key, another role's key, malformed, or none. */
function authorization(right: string, other: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${right}`), weight: 6 },
    { arbitrary: fc.constantFrom(undefined, `Bearer ${other}`, 'Bearer', 'Bearer ', `bearer ${right}`, `Basic ${right}`, `Bearer ${right} extra`, `Bearer ${right.slice(0, -1)}`), weight: 3 },
    { arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim()), weight: 1 },
  );
}

/** A POST of a JSON batch body, encoded in some way, with the right or a wrong key. */
function batchPost(path: string, body: fc.Arbitrary<Buffer>, auth: fc.Arbitrary<string | undefined>): fc.Arbitrary<RawRequest> {
  return fc
    .record({ body, encoding: bodyEncoding, type: contentType, auth, noise: noiseHeaders, method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 9 }, { arbitrary: anyMethod, weight: 1 }) })
    .map(({ body, encoding, type, auth, noise, method }) => {
      const encoded = encodeBody(body, encoding);
      const headers: Record<string, string> = { ...noise };
      if (type) headers['content-type'] = type;
      if (auth !== undefined) headers.authorization = auth;
      if (encoded.header) headers['content-encoding'] = encoded.header;
      return { method, path, headers, body: encoded.body };
    });
}

/** Bodies over the intake limit, sent as they are and as a small gzip that inflates past it. */
function oversizedPost(path: string, key: string): fc.Arbitrary<RawRequest> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' };
  return fc.constantFrom<RawRequest>(
    { method: 'POST', path, headers, body: oversized.overIntakeLimit },
    { method: 'POST', path, headers: { ...headers, 'content-encoding': 'gzip' }, body: oversized.gzipBomb },
  );
}

/** A GET pixel with a query string built from its known parameters, and browser-like headers. */
function pixelGet(paths: readonly string[], knownNames: readonly string[], validValues: Record<string, string>): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      path: fc.constantFrom(...paths),
      query: queryString(knownNames, validValues),
      agent: fc.oneof(fc.constant('Overcast/3.0 (+http://overcast.fm/; iOS podcast app)'), fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim())),
      noise: noiseHeaders,
      method: fc.oneof({ arbitrary: fc.constant('GET'), weight: 9 }, { arbitrary: anyMethod, weight: 1 }),
      body: fc.oneof({ arbitrary: fc.constant(Buffer.alloc(0)), weight: 9 }, { arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)), weight: 1 }),
    })
    .map(({ path, query, agent, noise, method, body }) => ({ method, path: query ? `${path}?${query}` : path, headers: { ...noise, 'user-agent': agent }, body }));
}

/** Requests for a function's other routes: health, unknown sub-paths, wrong methods. */
function otherRoutes(fn: string): fc.Arbitrary<RawRequest> {
  return fc
    .record({ segments: fc.array(pathSegment, { maxLength: 3 }), method: anyMethod, health: fc.boolean(), noise: noiseHeaders })
    .map(({ segments, method, health, noise }) => ({
      method,
      path: health ? `/${fn}/healthz` : `/${fn}/${segments.join('/')}`,
      headers: noise,
      body: Buffer.alloc(0),
    }));
}

/** Report reads: every report (and a few that are not), random parameters, any kind of key or none. */
function reportsRequests(keys: Keys): fc.Arbitrary<RawRequest> {
  const today = new Date().toISOString().slice(0, 10);
  const names = ['from', 'to', 'campaign', 'show', 'study', 'granularity', 'format', 'limit', 'cursor'];
  const valid = { from: '2026-01-01', to: today, campaign: 'camp-meals', show: 'show-1', study: 'demo-study', granularity: 'day', format: 'csv', limit: '5' };
  return fc
    .record({
      report: fc.oneof({ arbitrary: fc.constantFrom('delivery', 'reach', 'discrepancy', 'attribution', 'lift', 'openapi.json'), weight: 9 }, { arbitrary: pathSegment, weight: 1 }),
      query: queryString(names, valid),
      auth: fc.oneof(authorization(keys.platform, keys.advertiser), authorization(keys.advertiser, keys.platform)),
      noise: noiseHeaders,
      method: fc.oneof({ arbitrary: fc.constant('GET'), weight: 9 }, { arbitrary: anyMethod, weight: 1 }),
    })
    .map(({ report, query, auth, noise, method }) => ({
      method,
      path: `/reports/v1/${report}${query ? `?${query}` : ''}`,
      headers: auth === undefined ? noise : { ...noise, authorization: auth },
      body: Buffer.alloc(0),
    }));
}

/** Vendor callbacks: valid or mutated bodies, signed correctly over the bytes sent, or not. */
function verificationRequests(keys: Keys, day: SimulatedDay): fc.Arbitrary<RawRequest> {
  const events = day.verifications.slice(0, 30) as unknown as Array<Record<string, unknown>>;
  const body = fc.oneof(
    { arbitrary: jsonBodies(events, (records) => JSON.stringify({ events: records })), weight: 6 },
    { arbitrary: jsonBodies(events, (records) => JSON.stringify(records[0])), weight: 3 },
    { arbitrary: fc.constant(oversized.overCallbackLimit), weight: 1 },
  );
  const signing = fc.constantFrom('valid', 'valid', 'valid-ed25519', 'valid-ed25519', 'both-kinds', 'stale', 'wrong-secret', 'wrong-key-pair', 'relabelled', 'missing', 'garbage', 'garbage-v1a');
  // webhook-* or svix-* names; both sets, copied (read) or contradicting (400); or a set half renamed.
  const headerSet = fc.constantFrom('webhook', 'webhook', 'svix', 'svix', 'both-same', 'both-different', 'mixed');
  const vendor = fc.oneof({ arbitrary: fc.constant(keys.vendor), weight: 18 }, { arbitrary: fc.constantFrom('nope', '', 'demo-vendor/x'), weight: 1 }, { arbitrary: pathSegment, weight: 1 });
  return fc
    .record({ body, encoding: bodyEncoding, signing, headerSet, vendor, webhookId: fc.string({ minLength: 1, maxLength: 20 }).map((s) => `msg_${encodeURIComponent(s)}`), noise: noiseHeaders })
    .map(({ body, encoding, signing, headerSet, vendor, webhookId, noise }) => {
      const encoded = encodeBody(body, encoding);
      const signedAt = signing === 'stale' ? new Date(Date.now() - 3600_000) : new Date();
      const secret = signing === 'wrong-secret' ? 'whsec_d3JvbmctdmVuZG9yLXNlY3JldC0xMjM0' : keys.vendorSecret;
      const signed = signCallback(secret, webhookId, encoded.body, signedAt);
      const headers: Record<string, string> = { ...noise, ...signed };
      const timestamp = headers['webhook-timestamp'] ?? '';
      const hmac = headers['webhook-signature'] ?? '';
      const v1a = (key: KeyObject) => computeEd25519Signature(key, webhookId, timestamp, encoded.body);
      if (signing === 'valid-ed25519') headers['webhook-signature'] = v1a(keys.vendorPrivateKey);
      if (signing === 'both-kinds') headers['webhook-signature'] = `${hmac} ${v1a(keys.vendorPrivateKey)}`;
      if (signing === 'wrong-key-pair') headers['webhook-signature'] = v1a(otherKeyPair.privateKey);
      if (signing === 'relabelled') headers['webhook-signature'] = v1a(keys.vendorPrivateKey).replace('v1a,', 'v1,');
      if (signing === 'missing') delete headers['webhook-signature'];
      if (signing === 'garbage') headers['webhook-signature'] = 'v1,not-base64!!';
      if (signing === 'garbage-v1a') headers['webhook-signature'] = `v1a,${Buffer.alloc(64, 7).toString('base64')} v1a,not-base64!!`;
      if (encoded.header) headers['content-encoding'] = encoded.header;
      return { method: 'POST', path: `/verification/${vendor}`, headers: applyHeaderSet(headers, headerSet), body: encoded.body };
    });
}

/** A key pair the vendor does not have configured. */
const otherKeyPair = newVendorKeyPair();

/** The `webhook-*` headers renamed, copied or contradicted as the header-set choice says. */
function applyHeaderSet(headers: Record<string, string>, headerSet: string): Record<string, string> {
  const renamed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('webhook-')) renamed[name.replace('webhook-', 'svix-')] = value;
  }
  const rest = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('webhook-')));
  switch (headerSet) {
    case 'svix':
      return { ...rest, ...renamed };
    case 'both-same':
      return { ...headers, ...renamed };
    case 'both-different':
      return { ...headers, ...renamed, 'svix-id': `${renamed['svix-id'] ?? ''}x` };
    case 'mixed':
      return { ...headers, 'svix-signature': renamed['svix-signature'] ?? 'v1,AAAA', 'webhook-signature': '' };
    default:
      return headers;
  }
}

/**
 * Random and mutated requests for each HTTP function of the catalog (the Record type makes a new
 * function fail to compile here until it has its own requests).
 */
export function requestsFor(config: EarshotConfig): Record<HttpFunctionName, fc.Arbitrary<RawRequest>> {
  const keys = keysOf(config);
  const day = validTraffic(config);
  const beacons = day.beacons.slice(0, 40) as unknown as Array<Record<string, unknown>>;
  const conversions = day.conversions.slice(0, 10) as unknown as Array<Record<string, unknown>>;
  if (!conversions.length) throw new Error('the simulated day has no conversions to mutate');
  const batchBody = (records: Array<Record<string, unknown>>) => batchSerialization.chain((serialize) => jsonBodies(records, serialize));

  const beaconPixel = pixelGet(['/beacon/p', '/beacon/p.gif'], ['platform', 'show', 'episode', 'event', 'ad', 'campaign', 'id', 'ts', 'referer', 'cb'], {
    platform: 'demo-platform',
    show: 'show-1',
    episode: 'ep-1',
  });
  const playbackPixel = pixelGet(['/beacon/p'], ['platform', 'show', 'episode', 'event', 'ad', 'campaign'], {
    platform: 'demo-platform',
    show: 'show-1',
    episode: 'ep-1',
    event: 'firstQuartile',
    ad: 'ad-1',
    campaign: 'camp-meals',
  });
  const redirect = fc
    .record({ host: fc.oneof(fc.domain(), pathSegment), path: fc.array(pathSegment, { maxLength: 3 }), query: queryString(['x', 'token'], { x: '1' }), method: fc.constantFrom('GET', 'HEAD', 'GET', 'POST') })
    .map(({ host, path, query, method }) => ({ method, path: `/beacon/e/${host}/${path.join('/')}${query ? `?${query}` : ''}`, headers: {}, body: Buffer.alloc(0) }));

  return {
    beacon: fc.oneof(
      { arbitrary: batchPost('/beacon/events', batchBody(beacons), authorization(keys.platform, keys.advertiser)), weight: 5 },
      { arbitrary: beaconPixel, weight: 2 },
      { arbitrary: playbackPixel, weight: 1 },
      { arbitrary: redirect, weight: 2 },
      { arbitrary: oversizedPost('/beacon/events', keys.platform), weight: 1 },
      { arbitrary: otherRoutes('beacon'), weight: 1 },
    ),
    verification: fc.oneof({ arbitrary: verificationRequests(keys, day), weight: 9 }, { arbitrary: otherRoutes('verification'), weight: 1 }),
    conversion: fc.oneof(
      { arbitrary: batchPost('/conversion/events', batchBody(conversions), authorization(keys.advertiser, keys.platform)), weight: 5 },
      {
        arbitrary: pixelGet(['/conversion/p', '/conversion/p.gif'], ['advertiser', 'event', 'value', 'currency', 'order_id', 'cb'], {
          advertiser: 'demo-advertiser',
          event: 'purchase',
          value: '42.5',
          currency: 'USD',
          order_id: 'o-1',
        }),
        weight: 4,
      },
      { arbitrary: oversizedPost('/conversion/events', keys.advertiser), weight: 1 },
      { arbitrary: otherRoutes('conversion'), weight: 1 },
    ),
    assign: fc.oneof(
      { arbitrary: pixelGet(['/assign', '/assign/'], ['study', 'ip'], { study: 'demo-study', ip: '203.0.113.9' }), weight: 4 },
      { arbitrary: pixelGet(['/assign'], ['study', 'ip'], { study: 'demo-study', ip: '2001:db8:1:2::3' }), weight: 2 },
      { arbitrary: otherRoutes('assign'), weight: 1 },
    ),
    reports: fc.oneof({ arbitrary: reportsRequests(keys), weight: 6 }, { arbitrary: otherRoutes('reports'), weight: 1 }),
  };
}

/** Requests to routes no function serves, and to the local stack's own routes without its token. */
export const unknownRouteRequests: fc.Arbitrary<RawRequest> = fc
  .record({
    fn: fc.oneof(fc.constantFrom('', 'count', 'warehouse', 'attribute', '_local', 'Beacon', 'beacon.', 'favicon.ico'), pathSegment),
    rest: fc.oneof(fc.constantFrom('', '/query', '/drain', '/'), fc.array(pathSegment, { maxLength: 2 }).map((s) => `/${s.join('/')}`)),
    method: anyMethod,
    body: fc.constantFrom(Buffer.alloc(0), Buffer.from('SELECT 1')),
    noise: noiseHeaders,
  })
  .map(({ fn, rest, method, body, noise }) => ({ method, path: `/${fn}${rest}`, headers: noise, body }));
