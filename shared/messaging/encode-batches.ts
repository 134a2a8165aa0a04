/**
 * Packs items into JSON messages `{...envelope, "<field>":[...]}` of at most `maxBytes` each
 * (Pub/Sub takes 10 MB), stringifying every item exactly once.
 */
export function encodeBatches(
  field: string,
  items: readonly unknown[],
  envelope: Record<string, string> = {},
  maxBytes = 4 * 1024 * 1024,
): Buffer[] {
  const envelopeJson = JSON.stringify(envelope);
  const head = (envelopeJson === '{}' ? '{' : envelopeJson.slice(0, -1) + ',') + `${JSON.stringify(field)}:[`;
  const messages: Buffer[] = [];
  let parts: string[] = [];
  let size = head.length + 2;
  for (const item of items) {
    const part = JSON.stringify(item);
    if (parts.length > 0 && size + part.length + 1 > maxBytes) {
      messages.push(Buffer.from(head + parts.join(',') + ']}'));
      parts = [];
      size = head.length + 2;
    }
    parts.push(part);
    size += Buffer.byteLength(part) + 1;
  }
  if (parts.length) messages.push(Buffer.from(head + parts.join(',') + ']}'));
  return messages;
}
