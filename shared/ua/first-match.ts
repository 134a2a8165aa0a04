/** Index of the first pattern (in list order) that matches a text, or -1. */
export type FirstMatch = (text: string) => number;

interface Node {
  /** Tests whether any pattern in [lo, hi) matches; undefined when the patterns can't be combined. */
  readonly any: RegExp | undefined;
  readonly lo: number;
  readonly hi: number;
  readonly children: readonly Node[];
}

const fanOut = Number(process.env.FAN ?? 8);
const leafSize = Number(process.env.LEAF ?? 8);
// A numbered or named backreference points at another pattern's group once patterns are joined.
const backreference = /\\(?:[1-9]|k<)/;

/**
 * Compiles an ordered pattern list into a tree of combined regexes (`(?:a)|(?:b)|...`): a text
 * that matches nothing costs one native regex run instead of one per pattern, and a match is
 * found by descending only into the branches that match. Same answer as testing each pattern in
 * order, since `(?:a)|(?:b)` matches exactly when a or b does.
 */
export function compileFirstMatch(patterns: readonly string[]): FirstMatch {
  const singles = patterns.map((p) => new RegExp(p));
  const root = buildNode(patterns, 0, patterns.length);
  return (text) => findFirst(root, singles, text, false);
}

function buildNode(patterns: readonly string[], lo: number, hi: number): Node {
  const children: Node[] = [];
  if (hi - lo > leafSize) {
    const step = Math.ceil((hi - lo) / fanOut);
    for (let start = lo; start < hi; start += step) children.push(buildNode(patterns, start, Math.min(hi, start + step)));
  }
  return { any: tryCombine(patterns.slice(lo, hi)), lo, hi, children };
}

function tryCombine(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0 || patterns.some((p) => backreference.test(p))) return undefined;
  try {
    return new RegExp(patterns.map((p) => `(?:${p})`).join('|'));
  } catch {
    return undefined; // e.g. two patterns declaring the same group name
  }
}

function findFirst(node: Node, singles: readonly RegExp[], text: string, knownToMatch: boolean): number {
  if (!knownToMatch && node.any && !node.any.test(text)) return -1;
  const matches = knownToMatch || node.any !== undefined;
  if (node.children.length === 0) {
    for (let i = node.lo; i < node.hi; i++) if (singles[i]!.test(text)) return i;
    return -1;
  }
  const last = node.children.length - 1;
  for (let c = 0; c <= last; c++) {
    // When this node matched and no earlier child did, the last child must: skip its own test.
    const found = findFirst(node.children[c]!, singles, text, c === last && matches);
    if (found >= 0) return found;
  }
  return -1;
}
