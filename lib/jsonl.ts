// JSON Lines in and out: a line reader over any byte stream that keeps line numbers, and one writer.

export type NumberedLine = { line: number; text: string; tooLong: boolean };

const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

function decodeLine(parts: Uint8Array[], bytes: number): string {
  const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts, bytes);
  const text = decoder.decode(joined);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/**
 * Yields each non-empty line with its 1-based number; handles \n and \r\n and multi-byte UTF-8 across chunks.
 * Linear in the input: each chunk is scanned once for newlines (a byte that never occurs inside a multi-byte UTF-8
 * character) and a line is decoded once, when it ends. A line longer than `maxLineBytes` is yielded as
 * `{tooLong: true, text: ""}` and its bytes are dropped as they arrive, so one endless line never fills memory.
 */
export async function* readNumberedLines(
  chunks: AsyncIterable<Uint8Array | string>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<NumberedLine> {
  const max = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
  let parts: Uint8Array[] = [];
  let bytes = 0;
  let tooLong = false;
  let line = 0;
  const finish = (): NumberedLine | null => {
    const result: NumberedLine | null = tooLong
      ? { line, text: "", tooLong: true }
      : bytes > 0
        ? { line, text: decodeLine(parts, bytes), tooLong: false }
        : null;
    parts = [];
    bytes = 0;
    tooLong = false;
    return result && (result.tooLong || result.text.trim() !== "") ? result : null;
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === "string" ? encoder.encode(raw) : raw;
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!tooLong && end > start) {
        if (bytes + (end - start) > max) {
          tooLong = true;
          parts = [];
          bytes = 0;
        } else {
          // A copy: the piece outlives this chunk, whose buffer the stream may reuse.
          parts.push(chunk.slice(start, end));
          bytes += end - start;
        }
      }
      if (newline === -1) break;
      line += 1;
      const done = finish();
      if (done) yield done;
      start = newline + 1;
    }
  }
  line += 1;
  const last = finish();
  if (last) yield last;
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
