// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides and
// isolates: a terminal acts on them (colours, cursor moves, window titles, text that reads
// backwards), so a cell from the warehouse could otherwise rewrite what the user sees.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `text` with every character a terminal would act on written out as `\x1b` or `\u202e`. */
export function escapeForTerminal(text: string): string {
  return text.replace(unsafe, escapeOne);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls already, but not DEL, C1 (U+009B is a
 * CSI on many terminals) or the bidi controls; their `\uXXXX` forms are the same JSON.
 */
export function toTerminalJson(value: unknown): string {
  return JSON.stringify(value).replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
