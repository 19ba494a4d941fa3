// A dataset split as Parquet, streamed: rows are buffered one row group at a time, written by hyparquet-writer
// (columns typed by the format's declaration, lib/export-features.ts), and the bytes leave after every row group.
// Deterministic: the same rows give the same bytes (no clock in the file), so a saved dataset's Parquet files
// download to the digests its manifest recorded.
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { parquetColumnConverters, parquetSchema, type Fields } from "@/lib/export-features";

/** Rows per row group: a bounded buffer (a few MB of conversations), and groups big enough to read fast. */
export const PARQUET_ROW_GROUP = 5_000;

/** A ByteWriter whose bytes are taken out after each row group: memory holds one group, not the file. */
class DrainingWriter extends ByteWriter {
  take(): Uint8Array {
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return bytes;
  }
}

/** A Parquet file written row by row: add() hands back the bytes of each finished row group, finish() the rest. */
export class ParquetFileWriter {
  private readonly writer = new DrainingWriter(1 << 20);
  private readonly pq: ParquetWriter;
  private group: Record<string, unknown>[] = [];
  private readonly converters: ((value: unknown) => unknown)[];

  constructor(
    private readonly fields: Fields,
    createdBy: string,
  ) {
    this.converters = parquetColumnConverters(fields);
    // The element types come from our declaration; hyparquet's own types are wider than ours need to be.
    const schema = parquetSchema(fields) as ConstructorParameters<typeof ParquetWriter>[0]["schema"];
    this.pq = new ParquetWriter({ writer: this.writer, schema, createdBy, statistics: false });
  }

  add(row: object): Uint8Array | null {
    this.group.push(row as Record<string, unknown>);
    return this.group.length === PARQUET_ROW_GROUP ? this.flush() : null;
  }

  /** The last row group (if any), the footer, and the end of the file. */
  finish(): Uint8Array {
    const last = this.group.length > 0 ? this.flush() : new Uint8Array(0);
    void this.pq.finish(); // synchronous with a ByteWriter
    const footer = this.writer.take();
    return Buffer.concat([last, footer]);
  }

  private flush(): Uint8Array {
    const group = this.group;
    this.group = [];
    const columnData = this.fields.map(([name], i) => ({ name, data: group.map((row) => this.converters[i](row[name])) }));
    void this.pq.write({ columnData, rowGroupSize: group.length });
    return this.writer.take();
  }
}

/** The Parquet bytes of `rows`, a chunk per row group and one for the footer. No rows: a valid file of the schema. */
export async function* parquetBytes(fields: Fields, rows: AsyncIterable<readonly object[]>, createdBy: string): AsyncGenerator<Uint8Array> {
  const file = new ParquetFileWriter(fields, createdBy);
  for await (const batch of rows) {
    for (const row of batch) {
      const bytes = file.add(row);
      if (bytes) yield bytes;
    }
  }
  yield file.finish();
}
