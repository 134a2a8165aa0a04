/**
 * A 31-bit string hash (FNV-1a, folded) that stays a small integer in V8, so arrays of them stay
 * unboxed. For telling apart the few items of one listener window, not for security.
 */
export function computeHash31(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 1) & 0x3fffffff;
}

/** A second 31-bit hash of `text`, by another multiplier and seed, independent of `computeHash31`. */
export function computeCheckHash31(text: string): number {
  let hash = 0x9747b28c;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x5bd1e995);
  return ((hash ^ (hash >>> 15)) >>> 1) & 0x3fffffff;
}

/**
 * Two independent 31-bit hashes of a window key in one pass, its parts in `WindowKeyParts` order:
 * platform, household, the User-Agent given as its two hashes (`computeHash31`,
 * `computeCheckHash31`: hashed once per agent), episode, day. The first finds a window, the second
 * confirms it (about 2^-60 chance that two keys share both). Written into `out`, with fixed
 * arguments, so the hot path allocates nothing.
 */
export function computeKeyHashes(out: Int32Array, platform: string, householdKey: string, agentHash: number, agentCheck: number, episodeId: string, day: number): Int32Array {
  out[0] = 0x811c9dc5;
  out[1] = 0x9747b28c;
  mixPart(out, platform);
  mixPart(out, householdKey);
  out[0] = Math.imul((out[0] as number) ^ agentHash, 0x01000193);
  out[1] = Math.imul((out[1] as number) ^ agentCheck, 0x5bd1e995);
  mixPart(out, episodeId);
  const a = Math.imul((out[0] as number) ^ day, 0x01000193);
  const b = Math.imul((out[1] as number) ^ day, 0x5bd1e995);
  out[0] = (a >>> 1) & 0x3fffffff;
  out[1] = ((b ^ (b >>> 15)) >>> 1) & 0x3fffffff;
  return out;
}

// One string into both running hashes (kept in `out`: no array of the parts per call).
function mixPart(out: Int32Array, part: string): void {
  let a = out[0] as number;
  let b = out[1] as number;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  out[0] = Math.imul(a ^ 0xff, 0x01000193);
  out[1] = Math.imul(b ^ 0xff, 0x5bd1e995);
}
