/**
 * Packs items into JSON messages `{...envelope, "<field>":[...]}` of at most `maxBytes` each
 * (Pub/Sub takes 10 MB). Every item is stringified once and encoded once, straight into its
 * message's buffer, which saves a copy of every byte (docs/performance.md).
 */
export function encodeBatches(
  field: string,
  items: readonly unknown[],
  envelope: Record<string, string> = {},
  maxBytes = 4 * 1024 * 1024,
): Buffer[] {
  const envelopeJson = JSON.stringify(envelope);
  const head = (envelopeJson === '{}' ? '{' : envelopeJson.slice(0, -1) + ',') + `${JSON.stringify(field)}:[`;
  const headBytes = Buffer.byteLength(head);
  const messages: Buffer[] = [];
  let parts: string[] = [];
  let size = headBytes + 2;
  for (const item of items) {
    const part = JSON.stringify(item);
    const bytes = Buffer.byteLength(part);
    if (parts.length > 0 && size + bytes + 1 > maxBytes) {
      messages.push(writeMessage(head, parts, size));
      parts = [];
      size = headBytes + 2;
    }
    parts.push(part);
    size += bytes + (parts.length > 1 ? 1 : 0);
  }
  if (parts.length) messages.push(writeMessage(head, parts, size));
  return messages;
}

function writeMessage(head: string, parts: readonly string[], size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    at += out.write(parts[i] as string, at);
  }
  out[at++] = 0x5d; // ]
  out[at++] = 0x7d; // }
  if (at !== size) throw new Error(`encodeBatches: wrote ${at} of ${size} bytes`);
  return out;
}
