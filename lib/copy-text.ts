// Parses PostgreSQL's COPY text format (one row a line, tab-separated, \N for NULL, backslash escapes):
// reading an export through COPY skips the per-row protocol work a cursor costs (issue 4's speed goal).

export type CopyColumnKind = "text" | "int" | "json";

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

function unescapeCopyField(field: string): string {
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/** One COPY line (without its newline) → one object with the given column names and kinds. */
export function parseCopyLine<T>(line: string, names: readonly string[], kinds: readonly CopyColumnKind[]): T {
  const fields = line.split("\t");
  if (fields.length !== names.length) throw new Error(`COPY row has ${fields.length} fields, expected ${names.length}`);
  const row: Record<string, unknown> = {};
  for (let i = 0; i < fields.length; i++) {
    const raw = fields[i];
    if (raw === "\\N") {
      row[names[i]] = null;
      continue;
    }
    const text = raw.includes("\\") ? unescapeCopyField(raw) : raw;
    const kind = kinds[i];
    row[names[i]] = kind === "text" ? text : kind === "int" ? Number(text) : JSON.parse(text);
  }
  return row as T;
}

/**
 * Turns COPY TO STDOUT chunks into batches of parsed rows. Rows never hold a raw newline (COPY escapes it),
 * so complete lines end at each 0x0A byte; a row split across chunks waits for its end.
 */
export async function* parseCopyStream<T>(
  chunks: AsyncIterable<Uint8Array>,
  names: readonly string[],
  kinds: readonly CopyColumnKind[],
  minBatch = 100,
): AsyncGenerator<T[]> {
  let carry: Buffer = Buffer.alloc(0);
  let batch: T[] = [];
  for await (const chunk of chunks) {
    const buffer = carry.length ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buffer.lastIndexOf(10);
    if (end === -1) {
      carry = Buffer.from(buffer);
      continue;
    }
    const text = buffer.toString("utf8", 0, end);
    carry = Buffer.from(buffer.subarray(end + 1));
    for (const line of text.split("\n")) batch.push(parseCopyLine<T>(line, names, kinds));
    if (batch.length >= minBatch) {
      yield batch;
      batch = [];
    }
  }
  if (carry.length) throw new Error("COPY output ended in the middle of a row");
  if (batch.length) yield batch;
}
