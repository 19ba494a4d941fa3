// JSONL lines → bytes, optionally gzipped. One implementation for downloads and for snapshot hashes, so the
// sha256 in a manifest is the hash of exactly the bytes a download sends (zlib's output depends only on its
// input bytes, not on how they were cut into chunks).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** Bytes per chunk sent on: big enough for few socket writes, small enough to stay out of the way. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes each line's UTF-8 straight into fixed-size Buffers (memory outside the JS heap) instead of joining a
 * batch's lines into one string first: those joined strings (~200 KB each) are large objects to V8, and in a
 * million-row probe they kept 25–40 MB more on the heap; they also cost a copy.
 */
async function* packLines(batches: AsyncIterable<readonly string[]>): AsyncGenerator<Uint8Array> {
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for await (const lines of batches) {
    for (const line of lines) {
      // A UTF-16 code unit never takes more than 3 bytes in UTF-8: reserve the worst case, no counting pass.
      if (used + line.length * 3 > CHUNK_BYTES) {
        if (used > 0) {
          yield buffer.subarray(0, used);
          buffer = Buffer.allocUnsafe(CHUNK_BYTES);
          used = 0;
        }
        if (line.length * 3 > CHUNK_BYTES) {
          yield Buffer.from(line, "utf8");
          continue;
        }
      }
      used += buffer.write(line, used, "utf8");
    }
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** `batches`: lines, each ending in "\n", a batch at a time (PreparedExport.lineBatches). */
export async function* encodeLines(batches: AsyncIterable<readonly string[]>, options: { gzip?: boolean } = {}): AsyncGenerator<Uint8Array> {
  if (!options.gzip) {
    yield* packLines(batches);
    return;
  }
  const source = Readable.from(packLines(batches));
  const gzip = createGzip();
  // pipeline, not pipe: an error on either side ends both, and the iteration below sees it.
  const piped = pipeline(source, gzip).catch(() => undefined);
  try {
    for await (const chunk of gzip) yield chunk as Uint8Array;
  } finally {
    // A consumer that stopped early (a download cancelled): end the source too, which returns the export's
    // generators and releases their database connection.
    source.destroy();
    gzip.destroy();
    await piped;
  }
}
