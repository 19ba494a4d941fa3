// JSONL text (chunks of whole lines) → bytes, optionally gzipped. One implementation for downloads and for snapshot hashes, so the
// sha256 in a manifest is the hash of exactly the bytes a download sends (zlib output depends only on input).
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";

export async function* encodeLines(text: AsyncIterable<string>, options: { gzip?: boolean } = {}): AsyncGenerator<Uint8Array> {
  if (!options.gzip) {
    const encoder = new TextEncoder();
    // Batch small lines into larger chunks: fewer, bigger writes to the socket.
    let pending = "";
    for await (const chunk of text) {
      pending += chunk;
      if (pending.length >= 64 * 1024) {
        yield encoder.encode(pending);
        pending = "";
      }
    }
    if (pending) yield encoder.encode(pending);
    return;
  }
  const gzip = Readable.from(text).pipe(createGzip());
  for await (const chunk of gzip) yield chunk as Uint8Array;
}
