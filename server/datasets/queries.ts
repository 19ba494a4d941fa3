// Reading saved datasets: the list, a manifest, and downloads that rebuild the same bytes from the saved
// filters, options and cutoff.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { prepareExport } from "../exports/prepare-export";
import { renderDatasetCard } from "@/lib/dataset-card";
import type { ExportStats } from "@/lib/export-stats";
import type { DatasetManifest } from "./create-dataset";
import type { ExportLabels } from "../exports/labels";
import { datasetBundleBytes, datasetFileBytes } from "./dataset-files";
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
  return dataset.manifest as unknown as DatasetManifest;
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
  const filters = manifest.filters.vendors ? { ...manifest.filters, vendors: manifest.filters.vendors.map((id) => vendorNames[id] ?? id) } : manifest.filters;
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
    files: manifest.files.filter((f) => f.path.startsWith("data/")),
    platformVersion: manifest.platform.version,
    tokenizer: manifest.tokenizer,
  });
}

export async function openDatasetDownload(actor: Actor, datasetId: string, input: unknown) {
  const { file } = parseInput(downloadDatasetSchema, input);
  const manifest = await getDatasetManifest(actor, datasetId);
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: datasetId } });
  const prepared = await prepareExport(actor, { ...manifest.filters, ...manifest.options, format: manifest.format }, { cutoff: dataset.cutoff, labels: savedLabels(manifest) });
  const slug = manifest.dataset.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || datasetId;
  if (file === "bundle") {
    return {
      filename: `${slug}.hf.tar.gz`,
      contentType: "application/gzip",
      sha256: null,
      bytes: datasetBundleBytes(prepared, manifest.files, {
        readme: datasetCard(manifest),
        manifestJson: JSON.stringify(manifest, null, 2) + "\n",
        mtime: dataset.cutoff,
      }),
    };
  }
  const single = manifest.files[0];
  return {
    filename: `${slug}.${manifest.format}.jsonl${manifest.options.gzip ? ".gz" : ""}`,
    contentType: manifest.options.gzip ? "application/gzip" : "application/x-ndjson; charset=utf-8",
    sha256: single.sha256,
    bytes: datasetFileBytes(prepared),
  };
}
