import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { encodePublishRequest } from '../../../shared/adapters/gcp/pubsub-publish-request.ts';
import type { WireMessage } from '../../../shared/platform/messaging/message-encoding.ts';

// google.pubsub.v1's PublishRequest as its .proto declares it, read by protobufjs: the reference.
const root = protobuf.parse(`
  syntax = "proto3";
  package google.pubsub.v1;
  message PubsubMessage { bytes data = 1; map<string, string> attributes = 2; string message_id = 3; string ordering_key = 5; }
  message PublishRequest { string topic = 1; repeated PubsubMessage messages = 2; }
`).root;
const PublishRequest = root.lookupType('google.pubsub.v1.PublishRequest');

interface Decoded {
  topic: string;
  messages?: Array<{ data?: Uint8Array; attributes?: Record<string, string> }>;
}

/** Large buffers compare by digest: an element-wise deep equality of megabytes takes seconds. */
const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const decode = (bytes: Buffer) => PublishRequest.toObject(PublishRequest.decode(bytes), { defaults: false }) as Decoded;

describe('encodePublishRequest', () => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const cases: Record<string, { topic: string; messages: WireMessage[] }> = {
    'one small message': { topic: 'projects/p/topics/beacons', messages: [{ data: Buffer.from('{"records":[]}') }] },
    'every byte value, and an empty message': { topic: 'projects/p/topics/beacons', messages: [{ data: everyByte }, { data: Buffer.alloc(0) }] },
    'attributes, several, with non-ASCII values': {
      topic: 'projects/p/topics/facts',
      messages: [{ data: Buffer.from('x'), attributes: { content_encoding: 'gzip', 'ключ': 'значение 😀', empty: '' } }],
    },
    'lengths at the varint boundaries (127, 128, 16,383, 16,384 bytes)': {
      topic: 'projects/p/topics/t',
      messages: [127, 128, 16_383, 16_384].map((n) => ({ data: Buffer.alloc(n, 7) })),
    },
    'a 3 MiB message (a four-byte length) among small ones': {
      topic: `projects/${'p'.repeat(200)}/topics/${'t'.repeat(200)}`,
      messages: [{ data: Buffer.alloc(3 * 1024 * 1024, 'abc') }, { data: Buffer.from('tail'), attributes: { a: 'b' } }],
    },
    'a thousand messages': { topic: 'projects/p/topics/beacons', messages: Array.from({ length: 1000 }, (_, i) => ({ data: Buffer.from(`{"n":${i}}`) })) },
  };
  for (const [name, { topic, messages }] of Object.entries(cases)) {
    it(name, () => {
      const bytes = encodePublishRequest(topic, messages);
      const decoded = decode(bytes);
      expect(decoded.topic).toBe(topic);
      expect(decoded.messages?.map((m) => digest(m.data ?? new Uint8Array()))).toEqual(messages.map((m) => digest(m.data)));
      expect(decoded.messages?.map((m) => m.attributes ?? {})).toEqual(messages.map((m) => m.attributes ?? {}));
      // Byte for byte what the reference writes, so no slack is left in the sized buffer.
      expect(digest(bytes)).toBe(digest(PublishRequest.encode(PublishRequest.fromObject({ topic, messages })).finish()));
    });
  }
});
