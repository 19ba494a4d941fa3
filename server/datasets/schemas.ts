// zod inputs for saved datasets.
import { z } from "zod";
import { createDatasetSchema as exportDatasetSchema } from "../exports/schemas";
import { DATA_FILES } from "./dataset-files";

export const createDatasetSchema = exportDatasetSchema.extend({
  // The licence field of the Hugging Face dataset card.
  license: z.string().trim().min(1).max(100).default("other"),
  // The bundle's data files: JSON Lines, Parquet, or both.
  dataFiles: z.enum(DATA_FILES, { error: `must be one of ${DATA_FILES.join(", ")}` }).default("jsonl"),
});

export const downloadDatasetSchema = z.object({
  file: z.enum(["jsonl", "bundle"], { error: "file must be jsonl or bundle" }).default("jsonl"),
});
