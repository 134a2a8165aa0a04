import { describe, expect, it } from 'vitest';
import { createCloudLoggingDecoder } from '../../../../shared/domain/intake/logs/cloud-logging.ts';
import { EntryShapes, learnEntryShape, longestShapedLine, maxShapes, newEntryFields, readByShape, type EntryFields, type EntryShape } from '../../../../shared/domain/intake/logs/log-entry-shape.ts';

/** What a shape must give for a line: the read members of `JSON.parse(line)`. */
function projection(line: string): EntryFields {
  const entry = JSON.parse(line) as Record<string, unknown>;
  const http = entry.httpRequest as Record<string, unknown>;
  return {
    insertId: entry.insertId,
    timestamp: entry.timestamp,
    requestMethod: http.requestMethod,
    requestUrl: http.requestUrl,
    status: http.status,
    responseSize: http.responseSize,
    userAgent: http.userAgent,
    remoteIp: http.remoteIp,
    referer: http.referer,
  };
}

function read(shape: EntryShape, line: string): EntryFields | undefined {
  const fields = newEntryFields();
  return readByShape(shape, line, fields) ? fields : undefined;
}

const base =
  '{"insertId":"1x2y3z","jsonPayload":{"@type":"type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry","cacheDecision":["RESPONSE_HAS_CONTENT_TYPE"],"statusDetails":"response_sent_by_backend"},' +
  '"httpRequest":{"requestMethod":"GET","requestUrl":"https://media.example.com/shows/ep1.mp3","requestSize":"160","status":206,"responseSize":"1048999","userAgent":"AppleCoreMedia/1.0.0.21G93","remoteIp":"203.0.113.9","cacheLookup":true,"cacheHit":true,"latency":"0.004s","protocol":"HTTP/2.0"},' +
  '"resource":{"type":"http_load_balancer","labels":{"project_id":"p","zone":"global"}},"timestamp":"2026-11-01T10:00:00.123456Z","severity":"INFO","logName":"projects/p/logs/requests","trace":"projects/p/traces/abc","receiveTimestamp":"2026-11-01T10:00:01Z","spanId":"00f0","flag":null}';

describe('learnEntryShape and readByShape', () => {
  const matches: Array<{ name: string; line: string }> = [
    { name: 'the learnt line itself', line: base },
    { name: 'other string values', line: base.replace('1x2y3z', 'q').replace('ep1.mp3', 'ep%202.mp3?x=1&y=2').replace('203.0.113.9', '2001:db8::7') },
    { name: 'escapes in a read string', line: base.replace('AppleCoreMedia/1.0.0.21G93', 'Say \\"hi\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\uD83D\\uDE00') },
    { name: 'escapes in an unread string', line: base.replace('response_sent_by_backend', 'a\\"b\\u0000c') },
    { name: 'a number with a fraction and an exponent', line: base.replace('"status":206', '"status":2.06e2') },
    { name: 'a negative number', line: base.replace('"status":206', '"status":-1') },
    { name: 'an empty string', line: base.replace('"AppleCoreMedia/1.0.0.21G93"', '""') },
    { name: 'non-ASCII text', line: base.replace('ep1.mp3', 'épisode-№1.mp3') },
  ];
  it.each(matches)('reads $name as JSON.parse does', ({ line }) => {
    const shape = learnEntryShape(base);
    expect(shape).toBeDefined();
    expect(read(shape!, line)).toEqual(projection(line));
  });

  const misses: Array<{ name: string; line: string }> = [
    { name: 'a number where a string was', line: base.replace('"responseSize":"1048999"', '"responseSize":1048999') },
    { name: 'a string where a number was', line: base.replace('"status":206', '"status":"206"') },
    { name: 'another constant', line: base.replace('"cacheHit":true', '"cacheHit":false') },
    { name: 'a member more', line: base.replace('"protocol"', '"referer":"https://x.example/","protocol"') },
    { name: 'a member less', line: base.replace(',"spanId":"00f0"', '') },
    { name: 'other whitespace', line: base.replace('"status":206', '"status": 206') },
    { name: 'a control character in an unread string', line: base.replace('response_sent', 'response\u0001sent') },
    { name: 'a raw newline in a read string', line: base.replace('AppleCoreMedia', 'Apple\nCoreMedia') },
    { name: 'a bad escape', line: base.replace('AppleCoreMedia', 'Apple\\xCoreMedia') },
    { name: 'a short \\u escape', line: base.replace('AppleCoreMedia', 'Apple\\u12') },
    { name: 'a number with a leading zero', line: base.replace('"status":206', '"status":0206') },
    { name: 'a number ending in a point', line: base.replace('"status":206', '"status":206.') },
    { name: 'a truncated line', line: base.slice(0, -1) },
    { name: 'trailing text', line: `${base} x` },
    { name: 'a second entry', line: `${base}${base}` },
    { name: 'a timestamp that is no RFC 3339 time (the decoder rejects it on the JSON.parse path)', line: base.replace('2026-11-01T10:00:00.123456Z', '2026-11-01 10:00:00') },
    { name: 'a timestamp written with escapes', line: base.replace('2026-11-01T10:00:00.123456Z', '2026-11-01\\u005410:00:00Z') },
    { name: 'an unclosed string', line: base.replace('"GET"', '"GET') },
  ];
  it.each(misses)('leaves $name to JSON.parse', ({ line }) => {
    expect(read(learnEntryShape(base)!, line)).toBeUndefined();
  });

  const refusals: Array<{ name: string; line: string }> = [
    { name: 'a key twice in the entry', line: base.replace('"severity":"INFO"', '"severity":"INFO","timestamp":"2026-11-02T00:00:00Z"') },
    { name: 'a key twice in httpRequest', line: base.replace('"protocol":"HTTP/2.0"', '"protocol":"HTTP/2.0","status":404') },
    { name: 'a key twice deeper down', line: base.replace('"zone":"global"', '"zone":"global","zone":"x"') },
    { name: 'a read member holding an object', line: base.replace('"userAgent":"AppleCoreMedia/1.0.0.21G93"', '"userAgent":{"a":1}') },
    { name: 'a read member holding an array', line: base.replace('"1x2y3z"', '["1x2y3z"]') },
    { name: 'no httpRequest', line: '{"timestamp":"2026-11-01T10:00:00Z","textPayload":"hi"}' },
    { name: 'an httpRequest that is no object', line: '{"timestamp":"2026-11-01T10:00:00Z","httpRequest":"GET /"}' },
    { name: 'a nested httpRequest only', line: '{"timestamp":"2026-11-01T10:00:00Z","jsonPayload":{"httpRequest":{"status":200}}}' },
    { name: 'a line longer than the longest shaped', line: base.replace('response_sent_by_backend', 'x'.repeat(longestShapedLine)) },
    { name: 'deep nesting', line: base.replace('"flag":null', `"flag":${'['.repeat(5000)}${']'.repeat(5000)}`) },
  ];
  it.each(refusals)('learns no shape for $name', ({ line }) => {
    expect(() => JSON.parse(line)).not.toThrow();
    expect(learnEntryShape(line)).toBeUndefined();
  });

  it('keys written with escapes match only the same spelling', () => {
    const escaped = base.replace('"severity"', '"sev\\u0065rity"');
    const shape = learnEntryShape(escaped)!;
    expect(read(shape, escaped)).toEqual(projection(escaped));
    expect(read(shape, base)).toBeUndefined();
  });

  it('an absent or null read member is read as JSON.parse reads it', () => {
    const line = base.replace('"remoteIp":"203.0.113.9"', '"remoteIp":null').replace('"insertId":"1x2y3z",', '');
    expect(read(learnEntryShape(line)!, line)).toEqual(projection(line));
  });
});

/** A small seeded generator, so a failure names a line that can be run again. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the cloud-logging decoder with shapes', () => {
  const pieces = ['a', 'Z', '9', ' ', '/', '%20', '\\"', '\\\\', '\\/', '\\n', '\\t', '\\u00e9', '\\u0041', 'é', '😀'];
  const badPieces = ['\u0001', '\\x', '"', '\\', '\\u12', '\n'];
  const numbers = ['200', '206', '404', '0', '-5', '2.06e2', '1E3', '600', '99', '200.5', '1e400', '-0', '012', '1.', '+1'];
  const generate = (next: () => number) => {
    const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
    const text = () => Array.from({ length: Math.floor(next() * 6) }, () => pick(next() < 0.005 ? badPieces : pieces)).join('');
    const status = next() < 0.8 ? (next() < 0.8 ? '206' : pick(numbers)) : `"${pick(numbers)}"`;
    const size = next() < 0.5 ? `"${Math.floor(next() * 1e7)}"` : String(Math.floor(next() * 1e7));
    const referer = next() < 0.3 ? '' : next() < 0.5 ? ',"referer":null' : `,"referer":"https://r.example/${text()}"`;
    const space = next() < 0.9 ? '' : ' ';
    const time = next() < 0.95 ? `2026-11-0${1 + Math.floor(next() * 9)}T10:0${Math.floor(next() * 10)}:00Z` : text();
    const cache = pick(['true', 'false', 'null']);
    let line =
      `{"insertId":"${text()}","httpRequest":{"requestMethod":"${pick(['GET', 'HEAD', 'G\\u0045T'])}","requestUrl":"https://media.example.com/${text()}.mp3",` +
      `"status":${status},"responseSize":${size},"userAgent":"${text()}","remoteIp":"203.0.113.${Math.floor(next() * 255)}"${referer},"cacheHit":${cache}},` +
      `"timestamp":${space}"${time}","jsonPayload":{"statusDetails":"${text()}"}}`;
    const trap = next();
    if (trap < 0.03) line = line.slice(0, Math.floor(next() * line.length));
    else if (trap < 0.05) line += pick([' ', 'x', '}', ',{}']);
    else if (trap < 0.06) line = line.replace('"cacheHit"', '"status":201,"cacheHit"');
    else if (trap < 0.07) line = `[${line}]`;
    return line;
  };

  it('decodes every line as JSON.parse and the same checks do, line for line', () => {
    const next = random(20261204);
    const decoder = createCloudLoggingDecoder();
    let requests = 0;
    let rejects = 0;
    for (let n = 0; n < 20_000; n++) {
      const line = generate(next);
      const reference = createCloudLoggingDecoder().decode(line);
      expect(decoder.decode(line), line).toEqual(reference);
      if (reference.kind === 'request') requests++;
      if (reference.kind === 'reject') rejects++;
    }
    expect(requests).toBeGreaterThan(5_000);
    expect(rejects).toBeGreaterThan(1_000);
  });

  it('a shape never reads a line JSON.parse refuses, and reads the rest as it does', () => {
    const next = random(7);
    const shapes = new EntryShapes();
    let read = 0;
    for (let n = 0; n < 20_000; n++) {
      const line = generate(next);
      const entry = shapes.read(line);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        expect(entry, line).toBeUndefined();
        continue;
      }
      if (entry !== undefined) {
        read++;
        expect(entry, line).toEqual(projection(line));
        expect(entry.timestamp, line).toMatch(/^\d{4}-\d\d-\d\dT/);
      } else if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) shapes.learn(line);
    }
    expect(read).toBeGreaterThan(1_000);
  });

  it('lines of many shapes cost at most one walk per 64 lines read, and the common shapes stay', () => {
    const shapes = new EntryShapes();
    const common = (n: number) => base.replace('1x2y3z', `id${n}`);
    for (let n = 0; n < 10_000; n++) {
      const line = n % 4 === 0 ? base.replace('"flag":null', `"flag${n}":null`) : common(n);
      if (shapes.read(line) === undefined) shapes.learn(line);
    }
    expect(shapes.learnt).toBeLessThanOrEqual(maxShapes + (shapes.matched >> 6) + 1);
    expect(shapes.matched).toBeGreaterThan(7_400);
  });

  it('keeps the shapes a file rotates through', () => {
    const shapes = new EntryShapes();
    const variants = Array.from({ length: maxShapes }, (_, v) => (n: number) => base.replace('"flag":null', `"flag${v}":${n}`));
    for (let round = 0; round < 10; round++) {
      for (const variant of variants) {
        const line = variant(round);
        if (shapes.read(line) === undefined) shapes.learn(line);
      }
    }
    expect(shapes.learnt).toBe(maxShapes);
    expect(shapes.matched).toBe(maxShapes * 9);
  });
});
