// JSON Lines in and out: a line reader over any byte stream that keeps line numbers, and one writer.

/** Yields each non-empty line with its 1-based number; handles \n and \r\n and multi-byte UTF-8 across chunks. */
export async function* readNumberedLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let buffered = "";
  let line = 0;
  for await (const chunk of chunks) {
    buffered += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = buffered.indexOf("\n", start);
    while (newline !== -1) {
      line += 1;
      const text = buffered.slice(start, newline).replace(/\r$/, "");
      if (text.trim() !== "") yield { line, text };
      start = newline + 1;
      newline = buffered.indexOf("\n", start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") yield { line: line + 1, text: buffered.replace(/\r$/, "") };
}

export function toJsonLine(record: unknown): string {
  return JSON.stringify(record) + "\n";
}

/**
 * JSON lines (each ending in "\n") → one JSON array with an element per line: "[\n" + lines joined by ",\n" +
 * "\n]\n", or "[]\n" for none. Fed a line at a time, so a file of any size streams.
 */
export class JsonArrayFramer {
  private first = true;
  frame(line: string): string {
    const text = (this.first ? "[\n" : ",\n") + line.slice(0, -1);
    this.first = false;
    return text;
  }
  end(): string {
    return this.first ? "[]\n" : "\n]\n";
  }
}

export async function* frameJsonArray(batches: AsyncIterable<readonly string[]>): AsyncGenerator<string[]> {
  const framer = new JsonArrayFramer();
  for await (const lines of batches) yield lines.map((line) => framer.frame(line));
  yield [framer.end()];
}
