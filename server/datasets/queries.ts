// Reading saved datasets: the list, a manifest, and downloads that rebuild the same bytes from the saved
// filters, options, cutoff, names and pseudonym key, checked against the manifest's digests as they stream.
import { db } from "../db";
import { legacyPseudonymSecret } from "../env";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { prepareExport } from "../exports/prepare-export";
import { renderDatasetCard } from "@/lib/dataset-card";
import type { ExportStats } from "@/lib/export-stats";
import { exportFields, formatExtension, IDS_BY_DEFAULT, type ExportFormat } from "@/lib/export-formats";
import { DEGREES, SAFETY_BINS } from "@/lib/protocol";
import { DATASET_LAYOUT, type DatasetManifest } from "./create-dataset";
import type { ExportLabels } from "../exports/labels";
import { datasetBundleBytes, datasetFileBytes, type OnMismatch } from "./dataset-files";
import { downloadDatasetSchema } from "./schemas";

export type DatasetSummary = { id: string; name: string; format: string; cutoff: string; rows: number; createdAt: string };

export async function listDatasets(actor: Actor): Promise<DatasetSummary[]> {
  requirePermission(actor, "exports.read");
  const rows = await db.dataset.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    format: d.format,
    cutoff: d.cutoff.toISOString(),
    rows: (d.manifest as unknown as DatasetManifest | null)?.counts.rows ?? 0,
    createdAt: d.createdAt.toISOString(),
  }));
}

export async function getDatasetManifest(actor: Actor, datasetId: string): Promise<DatasetManifest> {
  requirePermission(actor, "exports.read");
  const dataset = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset?.manifest) throw new AppError("not_found", `No dataset with id ${datasetId}.`);
  // Stored as JSON: dates in the filters are ISO strings, which prepareExport parses back.
  return orderedManifest(dataset.manifest as unknown as DatasetManifest);
}

/** Counts keyed in the protocol's order: the stored manifest is jsonb, which sorts keys by length. */
function inOrder<K extends string>(keys: readonly K[], counts: Record<K, number>): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])) as Record<K, number>;
}

/** The manifest as served and bundled: its degree and safety-bin counts in the protocol's order. */
export function orderedManifest(manifest: DatasetManifest): DatasetManifest {
  const { counts } = manifest;
  return {
    ...manifest,
    counts: {
      ...counts,
      per_degree: inOrder(DEGREES, counts.per_degree),
      per_safety_bin: inOrder([...SAFETY_BINS, "none"] as const, counts.per_safety_bin),
    },
  };
}

function idsNote(format: ExportFormat, ids: boolean): string {
  if (format === "canonical") return "`comparison_id` and `judgement_ids` lead back to each row's comparison and judgements.";
  if (format === "arena" || format === "arena-jsonl") {
    return ids
      ? "`question_id` is the comparison id and `judgement_ids` lists the judgements behind each battle."
      : "`question_id` is the comparison id (exported with `ids=0`: no judgement ids).";
  }
  return ids
    ? "`comparison_id` and `judgement_ids` (every judgement behind an aggregated row) lead back to the source; the trainer ignores them."
    : `Exported without row ids (\`ids=0\`${IDS_BY_DEFAULT[format] ? "" : ", the default for this format"}).`;
}

function statsOf(manifest: DatasetManifest): ExportStats {
  const { counts } = manifest;
  return {
    rows: counts.rows,
    comparisons: counts.comparisons,
    dialogues: counts.dialogues,
    perDegree: counts.per_degree,
    perSafetyBin: counts.per_safety_bin,
    perSplit: counts.per_split,
    table6: manifest.table6,
  };
}

/** The names a dataset was saved with; null for datasets saved before names were kept (they print today's). */
function savedLabels(manifest: DatasetManifest): ExportLabels | null {
  return (manifest as Partial<DatasetManifest>).labels ?? null;
}

export function datasetCard(manifest: DatasetManifest): string {
  // Vendor filters are stored as ids; the card names them as the dataset printed them (or as they are now).
  const vendorNames = savedLabels(manifest)?.vendors ?? {};
  const filters = manifest.filters.vendors
    ? { ...manifest.filters, vendors: manifest.filters.vendors.map((id) => vendorNames[id] ?? id) }
    : manifest.filters;
  const format = manifest.format as ExportFormat;
  return renderDatasetCard({
    name: manifest.dataset.name,
    format: manifest.format,
    focus: manifest.filters.focus ?? null,
    license: manifest.dataset.license,
    cutoff: manifest.cutoff,
    split: { salt: manifest.split.salt, testFraction: manifest.split.test_fraction },
    options: manifest.options,
    filters,
    stats: statsOf(manifest),
    files: manifest.files,
    fields: exportFields(format, manifest.options),
    idsNote: idsNote(format, manifest.options.ids),
    platformVersion: manifest.platform.version,
    tokenizer: manifest.tokenizer,
  });
}

export async function openDatasetDownload(actor: Actor, datasetId: string, input: unknown) {
  const { file } = parseInput(downloadDatasetSchema, input);
  const manifest = await getDatasetManifest(actor, datasetId);
  if ((manifest as Partial<DatasetManifest>).layout !== DATASET_LAYOUT) {
    // Its digests describe files this version no longer writes (no row ids, untyped fields): refuse rather than
    // send bytes that do not match them.
    throw new AppError(
      "conflict",
      "This dataset was saved by an earlier version of Pairwise and its files cannot be rebuilt byte for byte; save its selection again.",
    );
  }
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const format = manifest.format as ExportFormat;
  // The key its pseudonyms were made with; datasets saved before keys were kept used the environment's.
  const pseudonymSecret = dataset.pseudonymSecret ?? legacyPseudonymSecret();
  const prepared = await prepareExport(
    actor,
    { ...manifest.filters, ...manifest.options, format },
    { cutoff: dataset.cutoff, labels: savedLabels(manifest), pseudonymSecret },
  );
  const slug =
    manifest.dataset.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || datasetId;
  const served = orderedManifest(manifest);
  const onMismatch = mismatchRecorder(actor, datasetId, file);
  if (file === "bundle") {
    return {
      filename: `${slug}.hf.tar.gz`,
      contentType: "application/gzip",
      sha256: null,
      bytes: datasetBundleBytes(prepared, manifest.files, {
        readme: datasetCard(served),
        manifestJson: JSON.stringify(served, null, 2) + "\n",
        mtime: dataset.cutoff,
        platformVersion: manifest.platform.version,
        onMismatch,
      }),
    };
  }
  const json = formatExtension(format) === "json";
  return {
    filename: manifest.download.path,
    contentType: manifest.options.gzip ? "application/gzip" : json ? "application/json; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    sha256: manifest.download.sha256,
    bytes: datasetFileBytes(prepared, manifest.download, onMismatch),
  };
}

/**
 * A download that came out different from its digest is stopped (dataset-files.ts); this says so in the server log
 * and in the audit log, where an admin sees which dataset and file, and what was expected and found.
 */
function mismatchRecorder(actor: Actor, datasetId: string, file: string): OnMismatch {
  return async (mismatch) => {
    console.error(`dataset ${datasetId}: ${mismatch.path} does not match its manifest; download stopped`, mismatch);
    await recordAudit(db, {
      actorId: actor.id,
      action: "dataset.download_refused",
      entityType: "dataset",
      entityId: datasetId,
      after: { file, ...mismatch },
    }).catch((error: unknown) => console.error(`dataset ${datasetId}: the refused download could not be audited`, error));
  };
}
