// zod inputs for exports and saved datasets: filters, format options, and the split.
import { z } from "zod";
import { BATCH_FOCUSES, DEGREES, SAFETY_BINS } from "@/lib/protocol";
import { EXPORT_FORMATS } from "@/lib/export-formats";
import { AGGREGATE_MODES } from "@/lib/aggregate";
import { MARGIN_MODES } from "@/lib/margin";
import { DEFAULT_SPLIT_SALT, DEFAULT_TEST_FRACTION } from "@/lib/split";

/** Query strings carry lists as repeated keys or comma-separated values; both arrive here as arrays. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => {
    if (value === undefined || value === null || value === "") return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values
      .flatMap((v) => (typeof v === "string" ? v.split(",") : [v]))
      .map((v) => (typeof v === "string" ? v.trim() : v))
      .filter((v) => v !== "");
  }, z.array(item).optional());

const bool = z.preprocess(
  (v) => (v === "1" || v === "true" || v === true ? true : v === "0" || v === "false" || v === false ? false : v),
  z.boolean().optional(),
);

// Already-parsed filters (a saved dataset's) come back as Dates or ISO strings; both are fine.
// Years 1970-9999 only: "-000001-01-01" parses in JavaScript but Postgres refuses it (it was a 500).
const isoDate = z
  .preprocess((v) => (v instanceof Date ? v.toISOString() : v), z.string())
  .refine((s) => !Number.isNaN(Date.parse(s)), "must be a date such as 2026-04-02 or 2026-04-02T10:00:00Z")
  .refine((s) => {
    const year = new Date(s).getUTCFullYear();
    return Number.isNaN(year) || (year >= 1970 && year <= 9999);
  }, "must be a date between 1970 and 9999")
  .transform((s) => new Date(s));

/** A number from a query string ("0.1") or JSON (0.1); never an array or a boolean coerced into one. */
const queryNumber = (schema: z.ZodNumber) => z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), schema);

export const exportFiltersSchema = z.object({
  batches: list(z.string().min(1)),
  focus: z.enum(BATCH_FOCUSES, { error: `must be one of ${BATCH_FOCUSES.join(", ")}` }).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  vendors: list(z.string().min(1)),
  minDegree: z.enum(DEGREES, { error: `must be one of ${DEGREES.join(", ")}` }).optional(),
  safetyBins: list(z.enum(SAFETY_BINS, { error: `must be among ${SAFETY_BINS.join(", ")}` })),
  split: z.enum(["train", "test"], { error: "must be train or test" }).optional(),
});
export type ExportFilters = z.infer<typeof exportFiltersSchema> & {
  /**
   * Internal, never read from input: keep only this fraction of dialogues, chosen by a hash of their id (whole
   * dialogues, so turns per dialogue stay true). The preview of a large selection estimates from such a sample.
   */
  sampleDialogues?: number;
};

export const exportOptionsSchema = z.object({
  margin: z.enum(MARGIN_MODES, { error: `must be one of ${MARGIN_MODES.join(", ")}` }).optional(),
  aggregate: z.enum(AGGREGATE_MODES, { error: `must be one of ${AGGREGATE_MODES.join(", ")}` }).optional(),
  includeUnsafeChosen: bool,
  /** Row ids (comparison_id, judgement_ids) in formats that do not always carry them; default per format. */
  ids: bool,
  gzip: bool,
  salt: z.string().min(1).max(200).default(DEFAULT_SPLIT_SALT),
  testFraction: queryNumber(
    z.number({ error: "must be a number between 0 and 1" }).min(0, "must be between 0 and 1").max(1, "must be between 0 and 1"),
  ).default(DEFAULT_TEST_FRACTION),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

export const exportFormatSchema = z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` });

export const exportRequestSchema = exportFiltersSchema.extend(exportOptionsSchema.shape).extend({ format: exportFormatSchema });
export type ExportRequest = z.infer<typeof exportRequestSchema>;

/** Turns URL search params into the plain object the schemas read (`batch` is an alias of `batches`). */
export function searchParamsToInput(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const aliases: Record<string, string> = {
    batch: "batches",
    vendor: "vendors",
    safetyBin: "safetyBins",
    "min-degree": "minDegree",
    "test-fraction": "testFraction",
  };
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    input[aliases[key] ?? key] = values.length === 1 ? values[0] : values;
  }
  return input;
}

export const createDatasetSchema = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(200),
  format: exportFormatSchema,
  filters: exportFiltersSchema.omit({ split: true }).default({}),
  options: exportOptionsSchema.default({ salt: DEFAULT_SPLIT_SALT, testFraction: DEFAULT_TEST_FRACTION }),
});
