// Saves a dataset: filters, format options and a cutoff (the judgements that existed when it was saved),
// with a manifest computed once: counts, Table 6 statistics, the split, the platform version, file hashes.
// Saving reads the whole export once (and tokenizes what was never counted), which takes a while on a large
// selection: startDatasetSave checks everything first, then the save reports its progress as it goes.
import { setTimeout as sleep } from "node:timers/promises";
import { db, type Prisma } from "../db";
import { getEnv } from "../env";
import { parseInput, toPublicError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { prepareExport, type PreparedExport } from "../exports/prepare-export";
import { fillTokenCounts } from "../exports/fill-token-counts";
import { createAsyncQueue } from "@/lib/async-queue";
import { TOKENIZER_NAME } from "@/lib/llama-tokens";
import { PLATFORM_VERSION } from "../platform";
import { datasetDownloadName, digestDatasetFiles } from "./dataset-files";
import { createDatasetSchema } from "./schemas";

export type DatasetManifest = Awaited<ReturnType<typeof buildManifest>>;

/**
 * The file layout of saved datasets. 2: row ids, declared field types, arena as a JSON array, a `download` entry
 * and `files` naming only the bundle's data files. Bump it whenever the bytes of a saved dataset would change.
 */
export const DATASET_LAYOUT = 2;

/** tokens: comparisons whose token counts were checked (and filled); rows: judgements read for the manifest. */
export type SaveProgress = { phase: "tokens" | "rows"; done: number; total: number };

export type SavedDataset = { id: string; manifest: DatasetManifest };

type SaveInput = ReturnType<typeof createDatasetSchema.parse>;

async function buildManifest(id: string, data: SaveInput, prepared: PreparedExport, cutoff: Date, onProgress: (p: SaveProgress) => void) {
  await fillTokenCounts(prepared.filters, cutoff, ({ done, total }) => onProgress({ phase: "tokens", done, total }));
  const total = await prepared.countJudgements();
  let read = 0;
  onProgress({ phase: "rows", done: 0, total });
  const target = {
    downloadName: datasetDownloadName(data.name, id, data.format, prepared.options.gzip === true),
    dataFiles: data.dataFiles,
    platformVersion: PLATFORM_VERSION,
  };
  const { stats, download, files, labels } = await digestDatasetFiles(prepared, target, () => {
    read += 1;
    if (read % 1000 === 0 || read === total) onProgress({ phase: "rows", done: read, total });
  });
  return {
    /** How this dataset's files are written; datasets saved before layout 2 cannot be rebuilt byte for byte. */
    layout: DATASET_LAYOUT,
    dataset: { id, name: data.name, license: data.license },
    format: data.format,
    filters: prepared.filters,
    options: prepared.options,
    cutoff: cutoff.toISOString(),
    split: { salt: prepared.options.salt, test_fraction: prepared.options.testFraction },
    counts: {
      rows: stats.rows,
      comparisons: stats.comparisons,
      dialogues: stats.dialogues,
      per_degree: stats.perDegree,
      per_safety_bin: stats.perSafetyBin,
      per_split: stats.perSplit,
    },
    table6: stats.table6,
    tokenizer: TOKENIZER_NAME,
    platform: { name: "pairwise", version: PLATFORM_VERSION },
    data_files: data.dataFiles,
    // The single download (?file=jsonl): the format's own file, under the name it downloads as.
    download,
    // Exactly the data files of the bundle (?file=bundle), besides its README.md and this manifest.
    files,
    // The batch, vendor and model names as printed: downloads keep them even if they are renamed later.
    labels,
  };
}

/** How long a save waits at most for transactions begun before its cutoff (see waitForEarlierTransactions). */
export const CUTOFF_FENCE_MS = 5_000;

/**
 * A judgement is stamped with the start of its transaction (pairwise_submit), a correction or a dialogue's response
 * inside theirs: one begun before the cutoff but committed after this save reads its rows would be missing from the
 * saved bytes and present in every later download. So the save first waits until every transaction of this
 * database begun at or before the cutoff has ended (they are short; an unrelated long one, such as another export,
 * is waited for at most CUTOFF_FENCE_MS, after which the download's digest check still catches any difference).
 */
async function waitForEarlierTransactions(cutoff: Date): Promise<void> {
  // One session underneath (npm start's embedded database): no other transaction can be open at this point.
  if (getEnv().DATABASE_SINGLE_SESSION === "true") return;
  const deadline = Date.now() + CUTOFF_FENCE_MS;
  for (;;) {
    // Stamps keep milliseconds (the cutoff too): a transaction begun within the cutoff's millisecond counts.
    const [{ open }] = await db.$queryRaw<{ open: number }[]>`
      SELECT count(*)::int AS open FROM pg_stat_activity
       WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
         AND xact_start < ${cutoff.toISOString()}::timestamptz + interval '1 millisecond'`;
    if (open === 0 || Date.now() >= deadline) return;
    await sleep(10);
  }
}

/**
 * Checks the caller, the input and the selection (errors come before any work), fixes the cutoff, and returns
 * the save itself, to run with an optional progress callback.
 */
export async function startDatasetSave(actor: Actor, input: unknown): Promise<(onProgress?: (p: SaveProgress) => void) => Promise<SavedDataset>> {
  requirePermission(actor, "datasets.write");
  const data = parseInput(createDatasetSchema, input);
  // The database's clock, the same one that stamps judgements.
  const [{ now }] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  // The platform's pseudonym key now; the dataset keeps it, so its bytes never follow a later change of key.
  const prepared = await prepareExport(
    actor,
    { ...data.filters, ...data.options, format: data.format },
    { cutoff: now, labels: null, pseudonymSecret: null },
  );
  return async (onProgress = () => undefined) => {
    const id = crypto.randomUUID();
    await waitForEarlierTransactions(now);
    const manifest = await buildManifest(id, data, prepared, now, onProgress);
    await db.$transaction(async (tx) => {
      await tx.dataset.create({
        data: {
          id,
          name: data.name,
          format: data.format,
          filters: JSON.parse(JSON.stringify(manifest.filters)) as Prisma.InputJsonValue,
          options: JSON.parse(JSON.stringify({ ...manifest.options, license: data.license, dataFiles: data.dataFiles })) as Prisma.InputJsonValue,
          splitSalt: manifest.split.salt,
          testFraction: manifest.split.test_fraction,
          cutoff: now,
          manifest: JSON.parse(JSON.stringify(manifest)) as Prisma.InputJsonValue,
          pseudonymSecret: prepared.pseudonymSecret,
          createdById: actor.id,
        },
      });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "dataset.create",
        entityType: "dataset",
        entityId: id,
        after: { name: data.name, format: data.format, rows: manifest.counts.rows },
      });
    });
    return { id, manifest };
  };
}

export async function createDataset(actor: Actor, input: unknown, onProgress?: (p: SaveProgress) => void): Promise<SavedDataset> {
  return (await startDatasetSave(actor, input))(onProgress);
}

export type DatasetSaveEvent =
  ({ type: "progress" } & SaveProgress) | ({ type: "saved" } & SavedDataset) | { type: "error"; error: { code: string; message: string } };

/**
 * A save as events: progress (at most every 200 ms, and the start and end of each phase), then `saved` or
 * `error`. A client that goes away does not stop the save: the dataset is still saved and listed.
 */
export async function* datasetSaveEvents(save: (onProgress?: (p: SaveProgress) => void) => Promise<SavedDataset>): AsyncGenerator<DatasetSaveEvent> {
  const queue = createAsyncQueue<DatasetSaveEvent>();
  let last = 0;
  save((progress) => {
    const now = Date.now();
    if (progress.done === 0 || progress.done === progress.total || now - last >= 200) {
      last = now;
      queue.push({ type: "progress", ...progress });
    }
  })
    .then((saved) => queue.push({ type: "saved", ...saved }))
    .catch((error: unknown) => {
      const { code, message } = toPublicError(error);
      queue.push({ type: "error", error: { code, message } });
    })
    .finally(() => queue.close());
  yield* queue;
}
