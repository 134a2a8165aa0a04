/**
 * At least how many elements the JSON array opening at `start` has (top-level commas plus one), in
 * one pass that builds nothing and stops once past `stopAfter`: enough to refuse a body with too
 * many records before JSON.parse makes millions of objects. Malformed text gets some count, and
 * JSON.parse then says what is wrong with it.
 */
export function countArrayElements(text: string, start: number, stopAfter: number): number {
  let depth = 0;
  let inString = false;
  let commas = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) {
      if (--depth === 0) break;
    } else if (c === 44 && depth === 1 && ++commas >= stopAfter) break;
  }
  return commas + 1;
}
