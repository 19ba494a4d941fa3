// The files of a saved dataset, computed in one pass over the export: the single JSONL (gzipped on request)
// and the bundle's train and test files, each with rows, bytes and sha256, plus the statistics.
import { createHash, type Hash } from "node:crypto";
import { createGzip } from "node:zlib";
import { once } from "node:events";
import tar from "tar-stream";
import { ExportStatsCollector, type ExportStats } from "@/lib/export-stats";
import type { PreparedExport } from "../exports/prepare-export";
import { encodeLines } from "../exports/encode-lines";
import { LabelBook, type ExportLabels } from "../exports/labels";

export type DatasetFile = { path: string; rows: number; bytes: number; sha256: string };

class FileDigest {
  rows = 0;
  bytes = 0;
  private readonly hash: Hash = createHash("sha256");
  add(chunk: Uint8Array, rows = 0) {
    this.hash.update(chunk);
    this.bytes += chunk.byteLength;
    this.rows += rows;
  }
  describe(path: string): DatasetFile {
    return { path, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }
}

export function singleFileName(prepared: PreparedExport): string {
  return prepared.filename;
}

/** Reads the export once: statistics, and the digest of every file a download of this dataset can send. */
export async function digestDatasetFiles(prepared: PreparedExport, onRead?: () => void): Promise<{ stats: ExportStats; files: DatasetFile[]; labels: ExportLabels }> {
  const stats = new ExportStatsCollector();
  const labels = new LabelBook(prepared.savedLabels);
  const whole = new FileDigest();
  const splits = { train: new FileDigest(), test: new FileDigest() };
  const encoder = new TextEncoder();
  const gzip = prepared.options.gzip === true;
  const gzipped = new FileDigest();
  const gzipStream = gzip ? createGzip() : null;
  const gzipDone = gzipStream
    ? (async () => {
        for await (const chunk of gzipStream) gzipped.add(chunk as Uint8Array);
      })()
    : null;
  for await (const batch of prepared.entryBatches({ stats, labels, onRead })) {
    for (const entry of batch) {
      const bytes = encoder.encode(entry.line);
      whole.add(bytes, 1);
      splits[entry.split].add(bytes, 1);
      if (gzipStream && !gzipStream.write(bytes)) await once(gzipStream, "drain");
    }
  }
  gzipStream?.end();
  await gzipDone;
  const single = gzip ? { ...gzipped.describe(prepared.filename), rows: whole.rows } : whole.describe(prepared.filename);
  const files = [single, splits.train.describe("data/train.jsonl"), splits.test.describe("data/test.jsonl")];
  return { stats: stats.result(), files, labels: labels.toJSON() };
}

/** The single-file download: the same bytes as the digest above. */
export function datasetFileBytes(prepared: PreparedExport): AsyncGenerator<Uint8Array> {
  return encodeLines(prepared.lineBatches(), { gzip: prepared.options.gzip === true });
}

/**
 * The Hugging Face bundle as a deterministic .tar.gz: README.md, manifest.json, data/train.jsonl, data/test.jsonl,
 * every entry with the cutoff as mtime and no owner. Data entries are streamed with the sizes the manifest
 * recorded; if the data changed underneath (a deleted batch), tar-stream's size check ends the download.
 */
export async function* datasetBundleBytes(
  prepared: PreparedExport,
  files: DatasetFile[],
  extras: { readme: string; manifestJson: string; mtime: Date },
): AsyncGenerator<Uint8Array> {
  const pack = tar.pack();
  const gzip = pack.pipe(createGzip());
  const header = (name: string, size: number) => ({ name, size, mtime: extras.mtime, mode: 0o644, uid: 0, gid: 0, uname: "", gname: "" });
  // Set when the consumer stops early (a cancelled download): the producer stops reading the export, which
  // returns its generators and releases their database connection, instead of waiting on a drain forever.
  let stopped = false;
  let stop!: () => void;
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  const produce = (async () => {
    for (const [name, text] of [["README.md", extras.readme], ["manifest.json", extras.manifestJson]] as const) {
      const body = Buffer.from(text, "utf8");
      await new Promise<void>((resolve, reject) => pack.entry(header(name, body.byteLength), body, (error) => (error ? reject(error) : resolve())));
    }
    for (const split of ["train", "test"] as const) {
      const file = files.find((f) => f.path === `data/${split}.jsonl`)!;
      // tar-stream runs on streamx: its entry callback, not node's finished(), says when an entry is done.
      let settle!: (error?: Error | null) => void;
      const written = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      written.catch(() => undefined); // awaited below; when stopped early, the entry's "destroyed" is expected
      const entry = pack.entry(header(file.path, file.bytes), (error) => settle(error));
      for await (const chunk of encodeLines(prepared.lineBatches({ split }))) {
        if (!entry.write(chunk)) await Promise.race([once(entry, "drain"), stopping]);
        if (stopped) return;
      }
      entry.end(undefined as never);
      await written;
    }
    pack.finalize();
  })().catch((error: unknown) => gzip.destroy(error as Error));
  try {
    for await (const chunk of gzip) yield chunk as Uint8Array;
  } finally {
    stopped = true;
    stop();
    pack.destroy();
    gzip.destroy();
    await produce;
  }
}
