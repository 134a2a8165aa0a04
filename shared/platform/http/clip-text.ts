/** Longest path or message an error reply echoes: field names come from the sender and can be megabytes long. */
export const maxEchoedChars = 300;

/** `text` cut to `maxEchoedChars`, marked with an ellipsis when cut. */
export function clipText(text: string): string {
  return text.length <= maxEchoedChars ? text : text.slice(0, maxEchoedChars - 1) + '…';
}
