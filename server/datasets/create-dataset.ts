// Saves a dataset: filters, format options and a cutoff (the judgements that existed when it was saved),
// with a manifest computed once: counts, Table 6 statistics, the split, the platform version, file hashes.
import { db, type Prisma } from "../db";
import { parseInput } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { requirePermission, type Actor } from "../auth/permissions";
import { prepareExport } from "../exports/prepare-export";
import { fillTokenCounts } from "../exports/fill-token-counts";
import { TOKENIZER_NAME } from "@/lib/llama-tokens";
import { PLATFORM_VERSION } from "../platform";
import { digestDatasetFiles } from "./dataset-files";
import { createDatasetSchema } from "./schemas";

export type DatasetManifest = Awaited<ReturnType<typeof buildManifest>>;

async function buildManifest(actor: Actor, id: string, data: ReturnType<typeof createDatasetSchema.parse>, cutoff: Date) {
  const prepared = await prepareExport(actor, { ...data.filters, ...data.options, format: data.format }, { cutoff, labels: null });
  await fillTokenCounts(prepared.filters, cutoff);
  const { stats, files, labels } = await digestDatasetFiles(prepared);
  return {
    dataset: { id, name: data.name, license: data.license },
    format: data.format,
    filters: prepared.filters,
    options: prepared.options,
    cutoff: cutoff.toISOString(),
    split: { salt: prepared.options.salt, test_fraction: prepared.options.testFraction },
    counts: { rows: stats.rows, comparisons: stats.comparisons, dialogues: stats.dialogues, per_degree: stats.perDegree, per_safety_bin: stats.perSafetyBin, per_split: stats.perSplit },
    table6: stats.table6,
    tokenizer: TOKENIZER_NAME,
    platform: { name: "pairwise", version: PLATFORM_VERSION },
    files,
    // The batch, vendor and model names as printed: downloads keep them even if they are renamed later.
    labels,
  };
}

export async function createDataset(actor: Actor, input: unknown): Promise<{ id: string; manifest: DatasetManifest }> {
  requirePermission(actor, "datasets.write");
  const data = parseInput(createDatasetSchema, input);
  // The database's clock, the same one that stamps judgements.
  const [{ now }] = await db.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  const id = crypto.randomUUID();
  const manifest = await buildManifest(actor, id, data, now);
  await db.$transaction(async (tx) => {
    await tx.dataset.create({
      data: {
        id,
        name: data.name,
        format: data.format,
        filters: JSON.parse(JSON.stringify(manifest.filters)) as Prisma.InputJsonValue,
        options: JSON.parse(JSON.stringify({ ...manifest.options, license: data.license })) as Prisma.InputJsonValue,
        splitSalt: manifest.split.salt,
        testFraction: manifest.split.test_fraction,
        cutoff: now,
        manifest: JSON.parse(JSON.stringify(manifest)) as Prisma.InputJsonValue,
        createdById: actor.id,
      },
    });
    await recordAudit(tx, { actorId: actor.id, action: "dataset.create", entityType: "dataset", entityId: id, after: { name: data.name, format: data.format, rows: manifest.counts.rows } });
  });
  return { id, manifest };
}
