/**
 * Cuts text arriving in chunks into lines, `\n` or `\r\n`, keeping a partial last line for the
 * next chunk; blank lines are counted (so line numbers match the file) but not passed on.
 */
export class LineSplitter {
  #rest = '';
  #line = 0;

  /** Calls `each` for every complete line of `chunk`, with its 1-based number in the whole input. */
  push(chunk: string, each: (line: string, number: number) => void): void {
    const text = this.#rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.#emit(text.slice(from, nl), each);
      from = nl + 1;
    }
    this.#rest = text.slice(from);
  }

  /** Passes on the last line if the input did not end with a newline. */
  end(each: (line: string, number: number) => void): void {
    if (this.#rest !== '') this.#emit(this.#rest, each);
    this.#rest = '';
  }

  get linesSeen(): number {
    return this.#line;
  }

  #emit(raw: string, each: (line: string, number: number) => void): void {
    this.#line++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') each(line, this.#line);
  }
}
