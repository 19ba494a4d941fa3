// CSV in, streamed: records as arrays of fields, each with the file line it starts on (1 = the header).
import { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";

export type CsvRecord = { line: number; fields: string[] };

/** A malformed file (an unclosed quote …) ends the read: nothing after it can be trusted. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/** Decodes UTF-8 across chunk boundaries and turns \r\n and lone \r into \n, so line numbers are plain counts. */
async function* normalisedText(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let carriageReturn = false;
  const normalise = (text: string): string => {
    let out = carriageReturn && text.startsWith("\n") ? text.slice(1) : text;
    carriageReturn = out.endsWith("\r");
    out = out.replace(/\r\n?/g, "\n");
    return out;
  };
  for await (const chunk of chunks) {
    const text = normalise(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (text !== "") yield text;
  }
  const rest = normalise(decoder.decode());
  if (rest !== "") yield rest;
}

/** Yields every non-blank record; throws CsvSyntaxError naming the line of a malformed one. */
export async function* readCsvRecords(
  chunks: AsyncIterable<Uint8Array | string>,
  options: { maxRecordChars?: number } = {},
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: true,
    info: true,
    // Rows may have too few or too many fields: the caller reports them with their line.
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: options.maxRecordChars ?? 2_000_000,
  });
  const source = Readable.from(normalisedText(chunks));
  source.on("error", (error) => parser.destroy(error)); // pipe() alone would leave the reader waiting forever
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.every((field) => field.trim() === "")) continue;
      // info.lines is where the record ends; quoted fields may span lines.
      const newlinesInside = record.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
      yield { line: info.lines - newlinesInside, fields: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 0;
      throw new CsvSyntaxError(line, error.message);
    }
    throw error;
  } finally {
    source.destroy();
    parser.destroy();
  }
}
