// Checks the Standard Webhooks verifier against the specification's published test vector in
// ../shared/reference/standard-webhooks.json (not in the repository, so a script, not a test; the
// unit tests carry the same vector as a fact).
//   node --import tsx scripts/conformance/webhooks.ts [FILE]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeSignature, tryDecodeSecret } from '../../shared/domain/webhooks/signature.ts';
import { tryVerifyWebhook, type WebhookRequestHeaders, type WebhookVerification } from '../../shared/domain/webhooks/verify-webhook.ts';
import { tryDecodeVerifyingKey } from '../../shared/domain/webhooks/verifying-key.ts';

interface Vector {
  secret: string;
  msg_id: string;
  timestamp: number;
  payload: string;
  signature: string;
  tolerance_seconds: number;
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = resolve(repo, process.argv[2] ?? '../shared/reference/standard-webhooks.json');
if (!existsSync(file)) {
  process.stderr.write(`conformance: no Standard Webhooks vector at ${file}\n`);
  process.exit(2);
}
const vector = JSON.parse(readFileSync(file, 'utf8')) as Vector;
const key = tryDecodeSecret(vector.secret);
const verifyingKey = tryDecodeVerifyingKey(vector.secret);
if (!key || !verifyingKey) {
  process.stderr.write(`conformance: the vector's secret is not a whsec_ secret\n`);
  process.exit(1);
}
const body = Buffer.from(vector.payload);
const headers = (signature: string, id = vector.msg_id) => ({ 'webhook-id': id, 'webhook-timestamp': String(vector.timestamp), 'webhook-signature': signature });
// The names Svix and the senders built on it use for the same three headers.
const svixHeaders = (signature: string) => ({ 'svix-id': vector.msg_id, 'svix-timestamp': String(vector.timestamp), 'svix-signature': signature });
const verify = (h: WebhookRequestHeaders, payload: Buffer, now: number): WebhookVerification => tryVerifyWebhook(h, payload, [verifyingKey], now);
const outcome = (v: WebhookVerification) => (v.ok ? `accepted (${v.set}-*)` : `refused (${v.reason})`);

const checks: Array<{ label: string; got: string; want: string }> = [
  { label: 'signature computed from the vector', got: computeSignature(key, vector.msg_id, vector.timestamp, body), want: vector.signature },
  { label: 'vector verified at its timestamp', got: outcome(verify(headers(vector.signature), body, vector.timestamp)), want: 'accepted (webhook-*)' },
  { label: 'vector verified at the edge of the tolerance', got: outcome(verify(headers(vector.signature), body, vector.timestamp + vector.tolerance_seconds)), want: 'accepted (webhook-*)' },
  { label: 'one second past the tolerance', got: outcome(verify(headers(vector.signature), body, vector.timestamp + vector.tolerance_seconds + 1)), want: 'refused (too_old)' },
  { label: 'one second before the tolerance', got: outcome(verify(headers(vector.signature), body, vector.timestamp - vector.tolerance_seconds - 1)), want: 'refused (too_new)' },
  { label: 'payload changed by one byte', got: outcome(verify(headers(vector.signature), Buffer.from(vector.payload + ' '), vector.timestamp)), want: 'refused (no_match)' },
  { label: 'another message id', got: outcome(verify(headers(vector.signature, 'msg_other'), body, vector.timestamp)), want: 'refused (no_match)' },
  { label: 'among other signatures', got: outcome(verify(headers(`v1,AAAA ${vector.signature} v2,zzz`), body, vector.timestamp)), want: 'accepted (webhook-*)' },
  { label: 'vector under the svix-* header names', got: outcome(verify(svixHeaders(vector.signature), body, vector.timestamp)), want: 'accepted (svix-*)' },
  { label: 'svix-* names, payload changed by one byte', got: outcome(verify(svixHeaders(vector.signature), Buffer.from(vector.payload + ' '), vector.timestamp)), want: 'refused (no_match)' },
  { label: 'both header sets, the same values', got: outcome(verify({ ...headers(vector.signature), ...svixHeaders(vector.signature) }, body, vector.timestamp)), want: 'accepted (webhook-*)' },
  { label: 'both header sets, different signatures', got: outcome(verify({ ...headers(vector.signature), ...svixHeaders('v1,AAAA') }, body, vector.timestamp)), want: 'refused (conflicting_headers)' },
  { label: 'the HMAC relabelled v1a (ed25519)', got: outcome(verify(headers(vector.signature.replace('v1,', 'v1a,')), body, vector.timestamp)), want: 'refused (no_match)' },
];

process.stdout.write(`Standard Webhooks test vector (${vector.msg_id})\n`);
for (const c of checks) process.stdout.write(`  ${c.label.padEnd(50)} ${c.got === c.want ? 'ok' : `FAILED: got ${c.got}, want ${c.want}`}\n`);
process.exitCode = checks.every((c) => c.got === c.want) ? 0 : 1;
