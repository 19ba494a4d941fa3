// The files of a saved dataset, computed in one pass over the export: the single download (the format's file,
// gzipped on request) and the bundle's data files (train and test as JSON Lines, Parquet or both), each with rows,
// bytes and sha256, plus the statistics. Downloads rebuild the same bytes from the same rows, and check them against
// those digests as they stream: a file that came out different is never sent whole.
import { createHash, type Hash } from "node:crypto";
import { createGzip } from "node:zlib";
import { once } from "node:events";
import tar from "tar-stream";
import { ExportStatsCollector, type ExportStats } from "@/lib/export-stats";
import { exportFields, formatExtension, JSON_ARRAY_FORMATS, type ExportFormat } from "@/lib/export-formats";
import { JsonArrayFramer } from "@/lib/jsonl";
import type { Split } from "@/lib/split";
import type { PreparedExport } from "../exports/prepare-export";
import { encodeLines } from "../exports/encode-lines";
import { LabelBook, type ExportLabels } from "../exports/labels";
import { AppError } from "../errors";
import { parquetBytes, ParquetFileWriter } from "./parquet-file";

export type DatasetFile = { path: string; rows: number; bytes: number; sha256: string };

/** Which data files the bundle carries: JSON Lines (the default), Parquet (the Hub's preferred format), or both. */
export const DATA_FILES = ["jsonl", "parquet", "both"] as const;
export type DataFiles = (typeof DATA_FILES)[number];

const SPLITS: readonly Split[] = ["train", "test"];

/** The bundle's data files, in the order the bundle holds them. */
export function bundleDataPaths(dataFiles: DataFiles): string[] {
  const kinds = dataFiles === "both" ? ["parquet", "jsonl"] : [dataFiles];
  return kinds.flatMap((kind) => SPLITS.map((split) => `data/${split}.${kind}`));
}

/** The single download's name: the dataset's name, its format, the format's extension. */
export function datasetDownloadName(name: string, id: string, format: ExportFormat, gzip: boolean): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || id;
  return `${slug}.${format}.${formatExtension(format)}${gzip ? ".gz" : ""}`;
}

/** What Parquet files say wrote them; part of their bytes, so it comes from the manifest, never today's version. */
export function parquetCreatedBy(platformVersion: string): string {
  return `pairwise ${platformVersion}`;
}

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

export type DatasetDigest = { stats: ExportStats; download: DatasetFile; files: DatasetFile[]; labels: ExportLabels };

/** Reads the export once: statistics, and the digest of every file a download of this dataset can send. */
export async function digestDatasetFiles(
  prepared: PreparedExport,
  target: { downloadName: string; dataFiles: DataFiles; platformVersion: string },
  onRead?: () => void,
): Promise<DatasetDigest> {
  const stats = new ExportStatsCollector();
  const labels = new LabelBook(prepared.savedLabels);
  const encoder = new TextEncoder();
  const paths = bundleDataPaths(target.dataFiles);
  const digests = new Map(paths.map((path) => [path, new FileDigest()]));
  const fields = exportFields(prepared.format, prepared.options);
  const parquet = new Map(
    SPLITS.filter((split) => digests.has(`data/${split}.parquet`)).map((split) => [
      split,
      new ParquetFileWriter(fields, parquetCreatedBy(target.platformVersion)),
    ]),
  );
  // The single download: the format's own file (a JSON array for arena), gzipped on request.
  const framer = JSON_ARRAY_FORMATS.includes(prepared.format) ? new JsonArrayFramer() : null;
  const whole = new FileDigest();
  const gzipped = new FileDigest();
  const gzipStream = prepared.options.gzip === true ? createGzip() : null;
  const gzipDone = gzipStream
    ? (async () => {
        for await (const chunk of gzipStream) gzipped.add(chunk as Uint8Array);
      })()
    : null;
  const addWhole = async (text: string, rows: number) => {
    const bytes = encoder.encode(text);
    whole.add(bytes, rows);
    if (gzipStream && !gzipStream.write(bytes)) await once(gzipStream, "drain");
  };
  for await (const batch of prepared.entryBatches({ stats, labels, onRead })) {
    for (const entry of batch) {
      await addWhole(framer ? framer.frame(entry.line) : entry.line, 1);
      digests.get(`data/${entry.split}.jsonl`)?.add(encoder.encode(entry.line), 1);
      const writer = parquet.get(entry.split);
      if (writer) {
        const digest = digests.get(`data/${entry.split}.parquet`)!;
        digest.rows += 1;
        const bytes = writer.add(entry.row);
        if (bytes) digest.add(bytes);
      }
    }
  }
  if (framer) await addWhole(framer.end(), 0);
  for (const [split, writer] of parquet) digests.get(`data/${split}.parquet`)!.add(writer.finish());
  gzipStream?.end();
  await gzipDone;
  const download = gzipStream ? { ...gzipped.describe(target.downloadName), rows: whole.rows } : whole.describe(target.downloadName);
  return { stats: stats.result(), download, files: paths.map((path) => digests.get(path)!.describe(path)), labels: labels.toJSON() };
}

/** What a rebuilt file turned out to be, when it is not what the manifest recorded. */
export type FileMismatch = { path: string; expected: { bytes: number; sha256: string }; found: { bytes: number; sha256: string | null } };

/** Called before a download fails on a mismatch (the caller logs and records it). */
export type OnMismatch = (mismatch: FileMismatch) => void | Promise<void>;

/**
 * Passes a rebuilt file on while hashing it, holding back its last chunk until the whole file is known to have the
 * manifest's size and sha256. On a mismatch it throws instead (after `onMismatch`): the download ends cut short,
 * without its last bytes (and a gzip without its trailer), so a client never receives different bytes as complete.
 * More bytes than recorded fail at once.
 */
export async function* verifiedBytes(source: AsyncIterable<Uint8Array>, expected: DatasetFile, onMismatch?: OnMismatch): AsyncGenerator<Uint8Array> {
  const hash = createHash("sha256");
  let bytes = 0;
  let held: Uint8Array | null = null;
  const fail = async (sha256: string | null): Promise<never> => {
    const mismatch = { path: expected.path, expected: { bytes: expected.bytes, sha256: expected.sha256 }, found: { bytes, sha256 } };
    await onMismatch?.(mismatch);
    throw new AppError(
      "conflict",
      `${expected.path} came out different from the file this dataset was saved with (${sha256 ? `sha256 ${sha256}` : `more than ${expected.bytes} bytes`} ` +
        `instead of sha256 ${expected.sha256}, ${expected.bytes} bytes); the download was stopped rather than send other bytes.`,
      mismatch,
    );
  };
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue;
    hash.update(chunk);
    bytes += chunk.byteLength;
    if (bytes > expected.bytes) await fail(null);
    if (held) yield held;
    held = chunk;
  }
  const sha256 = hash.digest("hex");
  if (bytes !== expected.bytes || sha256 !== expected.sha256) await fail(sha256);
  if (held) yield held;
}

/** The single-file download: the same bytes as the digest above, checked against it as they stream. */
export function datasetFileBytes(prepared: PreparedExport, expected: DatasetFile, onMismatch?: OnMismatch): AsyncGenerator<Uint8Array> {
  return verifiedBytes(encodeLines(prepared.lineBatches(), { gzip: prepared.options.gzip === true }), expected, onMismatch);
}

/** The bytes of one data file of the bundle, rebuilt from the export's rows of its split. */
function dataFileBytes(prepared: PreparedExport, path: string, platformVersion: string): AsyncGenerator<Uint8Array> {
  const [, split, kind] = /^data\/(train|test)\.(jsonl|parquet)$/.exec(path) ?? [];
  if (!split) throw new Error(`not a data file of a bundle: ${path}`);
  const entries = prepared.entryBatches({ split: split as Split });
  if (kind === "jsonl") {
    return encodeLines(
      (async function* () {
        for await (const batch of entries) yield batch.map((entry) => entry.line);
      })(),
    );
  }
  return parquetBytes(
    exportFields(prepared.format, prepared.options),
    (async function* () {
      for await (const batch of entries) yield batch.map((entry) => entry.row);
    })(),
    parquetCreatedBy(platformVersion),
  );
}

/**
 * The Hugging Face bundle as a deterministic .tar.gz: README.md, manifest.json, then the data files the manifest
 * lists, every entry with the cutoff as mtime and no owner. Data entries are streamed with the sizes the manifest
 * recorded and checked against its digests: a data file that came out different (a deleted batch, a changed row)
 * ends the download before that entry, and so the archive, is complete.
 */
export async function* datasetBundleBytes(
  prepared: PreparedExport,
  files: DatasetFile[],
  extras: { readme: string; manifestJson: string; mtime: Date; platformVersion: string; onMismatch?: OnMismatch },
): AsyncGenerator<Uint8Array> {
  const pack = tar.pack();
  const gzip = pack.pipe(createGzip());
  // A failure is reported once, through gzip (below); the pack, destroyed with it by the pipe, must not throw it again.
  pack.on("error", () => undefined);
  const header = (name: string, size: number) => ({ name, size, mtime: extras.mtime, mode: 0o644, uid: 0, gid: 0, uname: "", gname: "" });
  // Set when the consumer stops early (a cancelled download): the producer stops reading the export, which
  // returns its generators and releases their database connection, instead of waiting on a drain forever.
  let stopped = false;
  let stop!: () => void;
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  const produce = (async () => {
    for (const [name, text] of [
      ["README.md", extras.readme],
      ["manifest.json", extras.manifestJson],
    ] as const) {
      const body = Buffer.from(text, "utf8");
      await new Promise<void>((resolve, reject) => pack.entry(header(name, body.byteLength), body, (error) => (error ? reject(error) : resolve())));
    }
    for (const file of files) {
      // tar-stream runs on streamx: its entry callback, not node's finished(), says when an entry is done.
      let settle!: (error?: Error | null) => void;
      const written = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      written.catch(() => undefined); // awaited below; when stopped early, the entry's "destroyed" is expected
      const entry = pack.entry(header(file.path, file.bytes), (error) => settle(error));
      entry.on("error", () => undefined); // reported through its callback and gzip, not thrown a second time
      for await (const chunk of verifiedBytes(dataFileBytes(prepared, file.path, extras.platformVersion), file, extras.onMismatch)) {
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
