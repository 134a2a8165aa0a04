import type { WireMessage } from '../../platform/messaging/message-encoding.ts';

// Length-delimited protobuf fields: (field number << 3) | wire type 2.
const field1 = 0x0a;
const field2 = 0x12;

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** A length-delimited field's size: tag, length, contents. */
const delimitedSize = (length: number) => 1 + varintSize(length) + length;

function attributeEntrySize(key: string, value: string): number {
  return delimitedSize(Buffer.byteLength(key)) + delimitedSize(Buffer.byteLength(value));
}

function messageSize(message: WireMessage): number {
  let size = delimitedSize(message.data.length);
  for (const [key, value] of Object.entries(message.attributes ?? {})) size += delimitedSize(attributeEntrySize(key, value));
  return size;
}

/**
 * The protobuf bytes of `google.pubsub.v1.PublishRequest` (`topic` = 1, `messages` = 2; a
 * message's `data` = 1 and its `attributes` map = 2): the publisher's only request, two levels
 * deep, written in one buffer sized first. The protobuf runtimes cost more to import than
 * this costs to write.
 */
export function encodePublishRequest(topic: string, messages: readonly WireMessage[]): Buffer {
  const sizes = messages.map(messageSize);
  const topicLength = Buffer.byteLength(topic);
  const total = sizes.reduce((sum, size) => sum + delimitedSize(size), delimitedSize(topicLength));
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  const varint = (value: number) => {
    while (value >= 0x80) {
      out[at++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    out[at++] = value;
  };
  const text = (tag: number, value: string) => {
    out[at++] = tag;
    varint(Buffer.byteLength(value));
    at += out.write(value, at, 'utf8');
  };
  text(field1, topic);
  messages.forEach((message, i) => {
    out[at++] = field2;
    varint(sizes[i] as number);
    out[at++] = field1;
    varint(message.data.length);
    at += message.data.copy(out, at);
    for (const [key, value] of Object.entries(message.attributes ?? {})) {
      out[at++] = field2;
      varint(attributeEntrySize(key, value));
      text(field1, key);
      text(field2, value);
    }
  });
  return out;
}
