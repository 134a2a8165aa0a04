import { rfc3339Grammar } from './fields.ts';

/**
 * The shape of a LogEntry line: its text with every string and number value cut out, kept as one
 * anchored regular expression. The lines of one load balancer differ only in their values, so a
 * line that matches a shape learnt from a line `JSON.parse` accepted is valid JSON too (the same
 * keys and punctuation, each value checked by the JSON grammar for its kind), and the members the
 * decoder reads come out as captures. Matching reads the line natively once, with no object built
 * for the members nobody reads; docs/performance.md has the figures.
 */

/** The members of a LogEntry the decoder reads, flat, as `JSON.parse` of the line would give them (undefined where absent). */
export interface EntryFields {
  insertId: unknown;
  timestamp: unknown;
  requestMethod: unknown;
  requestUrl: unknown;
  status: unknown;
  responseSize: unknown;
  userAgent: unknown;
  remoteIp: unknown;
  referer: unknown;
}

export const newEntryFields = (): EntryFields => ({
  insertId: undefined,
  timestamp: undefined,
  requestMethod: undefined,
  requestUrl: undefined,
  status: undefined,
  responseSize: undefined,
  userAgent: undefined,
  remoteIp: undefined,
  referer: undefined,
});

const httpMembers = ['requestMethod', 'requestUrl', 'status', 'responseSize', 'userAgent', 'remoteIp', 'referer'] as const;
type HttpMember = (typeof httpMembers)[number];
type ReadMember = 'insertId' | 'timestamp' | HttpMember;

/**
 * Where a shape's value of a read member comes from: a capture (string or number), a constant
 * (true, false, null), or nowhere (the member is absent). One object shape for all of them keeps
 * the read of a line monomorphic.
 */
interface Source {
  kind: 'absent' | 'string' | 'time' | 'number' | 'constant';
  capture: number;
  constant: boolean | null;
}
const absent = (): Source => ({ kind: 'absent', capture: 0, constant: null });

export interface EntryShape {
  readonly pattern: RegExp;
  readonly sources: Readonly<Record<ReadMember, Source>>;
}

// A string's content as JSON allows it, unrolled so that text without escapes is one character
// class run: no alternation per character, and no backtracking (the class excludes what follows).
const plainRun = String.raw`[^"\\\x00-\x1f]*`;
const escapedRuns = String.raw`(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*`;
const stringContent = plainRun + escapedRuns;
// A read string is two captures, the text up to its first escape and the rest: most values have
// no escape, and an empty rest says so without reading the value again.
const readString = `(${plainRun})(${escapedRuns})`;
const numberText = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;
// A timestamp is matched as RFC 3339 (which has no escapes): a line whose time is not one is left
// to JSON.parse and the decoder's own check, so the shape's reader need not check it again.
const timestampText = rfc3339Grammar;
const escapeLiteral = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Lines longer than this are read by `JSON.parse` alone: a shape is worth learning for the many short lines of one source. */
export const longestShapedLine = 16 * 1024;

/** Deeper nesting is read by `JSON.parse` alone: the walk recurses once per level, and LogEntries nest a few levels. */
const deepestShapedNesting = 32;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The shape of `line`, which `JSON.parse` has accepted as an object. Undefined where a shape
 * could not stand for the line: an object with a key twice (`JSON.parse` keeps the last), a read
 * member holding an object or array, an entry without an `httpRequest` object (nothing to read
 * fast), or a line too long or too deeply nested to be worth it.
 */
export function learnEntryShape(line: string): EntryShape | undefined {
  if (line.length > longestShapedLine) return undefined;
  const sources: Record<ReadMember, Source> = { insertId: absent(), timestamp: absent(), requestMethod: absent(), requestUrl: absent(), status: absent(), responseSize: absent(), userAgent: absent(), remoteIp: absent(), referer: absent() };
  let pattern = '^';
  let literalFrom = 0;
  let captures = 0;
  let i = 0;
  const skipSpace = () => {
    while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  };
  const stringEnd = (from: number) => {
    let j = from + 1;
    for (let c = line.charCodeAt(j); c !== 34; c = line.charCodeAt(j)) j += c === 92 ? 2 : 1;
    return j + 1;
  };
  /** Cuts the value at `i..end` out of the literal text, as a capture where `member` is read. */
  const cut = (end: number, kind: 'string' | 'number', member: ReadMember | undefined) => {
    const grammar = kind === 'number' ? numberText : stringContent;
    pattern += escapeLiteral(line.slice(literalFrom, i));
    if (member === undefined) pattern += `(?:${grammar})`;
    else if (kind === 'number') pattern += `(${numberText})`;
    else if (member === 'timestamp') pattern += `(${timestampText})`;
    else pattern += readString;
    if (member) sources[member] = { kind: kind === 'string' && member === 'timestamp' ? 'time' : kind, capture: captures + 1, constant: null };
    if (member) captures += kind === 'string' && member !== 'timestamp' ? 2 : 1;
    literalFrom = end;
    i = end;
  };
  /** Reads the value at `i`; `depth` 0 is the entry, 1 a member of the entry. Answers false where no shape can stand for the line. */
  let requestObject = false;
  const value = (member: ReadMember | undefined, depth: number, key: string | undefined): boolean => {
    const c = line.charCodeAt(i);
    if (c === 123 || c === 91) {
      if (member || depth >= deepestShapedNesting) return false;
      const object = c === 123;
      const inRequest = object && depth === 1 && key === 'httpRequest';
      if (inRequest) requestObject = true;
      const keys = object ? new Set<string>() : undefined;
      i++;
      skipSpace();
      if (line.charCodeAt(i) === (object ? 125 : 93)) {
        i++;
        return true;
      }
      for (;;) {
        let childMember: ReadMember | undefined;
        let childKey: string | undefined;
        if (keys) {
          const end = stringEnd(i);
          childKey = JSON.parse(line.slice(i, end)) as string;
          if (keys.has(childKey)) return false;
          keys.add(childKey);
          i = end;
          skipSpace();
          i++; // ':'
          skipSpace();
          if (depth === 0 && (childKey === 'insertId' || childKey === 'timestamp')) childMember = childKey;
          else if (inRequest && (httpMembers as readonly string[]).includes(childKey)) childMember = childKey as HttpMember;
        }
        if (!value(childMember, depth + 1, childKey)) return false;
        skipSpace();
        const next = line.charCodeAt(i++);
        if (next !== 44) return true;
        skipSpace();
      }
    }
    if (c === 34) {
      i++; // the quotes stay literal
      const end = stringEnd(i - 1) - 1;
      cut(end, 'string', member);
      i++;
      return true;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let end = i + 1;
      for (let d = line.charCodeAt(end); d === 43 || d === 45 || d === 46 || d === 69 || d === 101 || (d >= 48 && d <= 57); d = line.charCodeAt(end)) end++;
      cut(end, 'number', member);
      return true;
    }
    const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
    if (member) sources[member] = { kind: 'constant', capture: 0, constant: word === 'null' ? null : word === 'true' };
    i += word.length;
    return true;
  };
  skipSpace();
  if (line.charCodeAt(i) !== 123 || !value(undefined, 0, undefined) || !requestObject) return undefined;
  pattern += `${escapeLiteral(line.slice(literalFrom))}$`;
  return { pattern: new RegExp(pattern), sources };
}

function valueOf(match: RegExpExecArray, source: Source): unknown {
  if (source.kind === 'string') {
    const plain = match[source.capture] as string;
    const escaped = match[source.capture + 1] as string;
    return escaped.length === 0 ? plain : (JSON.parse(`"${plain}${escaped}"`) as string);
  }
  if (source.kind === 'time') return match[source.capture];
  if (source.kind === 'number') return Number(match[source.capture]);
  return source.kind === 'constant' ? source.constant : undefined;
}

/**
 * Whether `line` has `shape`'s shape; if so its read members are put in `into`, as `JSON.parse`
 * of the line would give them, a string timestamp already checked as RFC 3339.
 */
export function readByShape(shape: EntryShape, line: string, into: EntryFields): boolean {
  const match = shape.pattern.exec(line);
  if (match === null) return false;
  const s = shape.sources;
  into.insertId = valueOf(match, s.insertId);
  into.timestamp = valueOf(match, s.timestamp);
  into.requestMethod = valueOf(match, s.requestMethod);
  into.requestUrl = valueOf(match, s.requestUrl);
  into.status = valueOf(match, s.status);
  into.responseSize = valueOf(match, s.responseSize);
  into.userAgent = valueOf(match, s.userAgent);
  into.remoteIp = valueOf(match, s.remoteIp);
  into.referer = valueOf(match, s.referer);
  return true;
}

/** Shapes kept per file: a load balancer writes a handful (with and without referer, cache hits and misses). */
export const maxShapes = 8;

/**
 * The shapes of one file's lines, the most recently matched first. Learning one costs a walk of
 * the line and a regular expression's compilation, so a file whose lines keep changing shape
 * learns at most one more per 64 lines its shapes read, and is otherwise read by `JSON.parse`.
 */
export class EntryShapes {
  private readonly shapes: EntryShape[] = [];
  private readonly fields = newEntryFields();
  /** Lines walked to learn a shape, and lines a shape read: the budget's two sides. */
  learnt = 0;
  matched = 0;

  /** The read members of `line` if a shape matches it, in one object reused by the next read (a line's members are used before the next is read). */
  read(line: string): EntryFields | undefined {
    const shapes = this.shapes;
    for (let i = 0; i < shapes.length; i++) {
      const shape = shapes[i] as EntryShape;
      if (!readByShape(shape, line, this.fields)) continue;
      this.matched++;
      if (i > 0) {
        shapes.splice(i, 1);
        shapes.unshift(shape);
      }
      return this.fields;
    }
    return undefined;
  }

  /** Learns the shape of a line `JSON.parse` read as an object, while the budget lasts. */
  learn(line: string): void {
    if (this.learnt >= maxShapes + (this.matched >> 6)) return;
    const shape = learnEntryShape(line);
    this.learnt++;
    if (shape === undefined) return;
    if (this.shapes.length === maxShapes) this.shapes.pop();
    this.shapes.unshift(shape);
  }
}
