// zod inputs for batches, shared by forms and the HTTP API.
import { z } from "zod";
import { ATTACK_VECTORS, BATCH_FOCUSES, BATCH_STATUSES, RISK_CATEGORIES } from "@/lib/protocol";

export const createBatchSchema = z.object({
  name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  focus: z.enum(BATCH_FOCUSES, { error: `must be one of ${BATCH_FOCUSES.join(", ")}` }),
  overlap: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(10, "must be at most 10")
    .default(1),
  guidelines: z.string().max(200_000, "must be at most 200,000 characters").default(""),
  requireSafety: z.boolean().optional(),
  // How long a claimed task stays with its annotator before it returns to the pool.
  leaseSeconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number")
    .min(5, "must be at least 5 seconds")
    .max(86_400, "must be at most a day")
    .default(900),
  // "annotator_written": annotators write the prompts and two variants answer live, turn after turn.
  promptSource: z.enum(["imported", "annotator_written"], { error: "must be imported or annotator_written" }).default("imported"),
  maxTurns: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(20, "must be at most 20")
    .default(1),
  // Safety batches: the lists annotators pick from when they write a prompt (default: the protocol's).
  riskCategories: z
    .array(z.enum(RISK_CATEGORIES, { error: `must be among ${RISK_CATEGORIES.join(", ")}` }))
    .min(1, "needs at least one risk category")
    .optional(),
  attackVectors: z
    .array(z.enum(ATTACK_VECTORS, { error: `must be among ${ATTACK_VECTORS.join(", ")}` }))
    .min(1, "needs at least one attack vector")
    .optional(),
});
export type CreateBatchInput = z.input<typeof createBatchSchema>;

export const setBatchStatusSchema = z.object({
  status: z.enum(BATCH_STATUSES, { error: `must be one of ${BATCH_STATUSES.join(", ")}` }),
});

export const setBatchModelVariantsSchema = z.object({
  modelVariantIds: z
    .array(z.string({ error: "must be model variant ids" }).trim().min(1, "must not be empty"), { error: "is required: a list of model variant ids" })
    .min(2, "needs at least two model variants: each prompt is answered by two different ones")
    .max(50, "takes at most 50 model variants")
    .refine((ids) => new Set(ids).size === ids.length, "must not name a model variant twice"),
});

/** Saving guidelines always makes a new version; old versions are never edited. */
export const saveGuidelinesSchema = z.object({
  markdown: z.string({ error: "is required: the guidelines as markdown" }).max(200_000, "must be at most 200,000 characters"),
});

/** PATCH of a batch: fields left out keep their value. The lists apply to safety batches only. */
export const updateBatchSchema = z.strictObject(
  {
    name: createBatchSchema.shape.name.optional(),
    riskCategories: z
      .array(z.enum(RISK_CATEGORIES, { error: `must be among ${RISK_CATEGORIES.join(", ")}` }), { error: "must be a list of risk categories" })
      .min(1, "needs at least one risk category")
      .refine((list) => new Set(list).size === list.length, "must not name a risk category twice")
      .optional(),
    attackVectors: z
      .array(z.enum(ATTACK_VECTORS, { error: `must be among ${ATTACK_VECTORS.join(", ")}` }), { error: "must be a list of attack vectors" })
      .min(1, "needs at least one attack vector")
      .refine((list) => new Set(list).size === list.length, "must not name an attack vector twice")
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${(issue.keys ?? []).join(", ")}: a batch PATCH takes name, riskCategories and attackVectors`
        : "must be a JSON object",
  },
);

/** GET /api/v1/batches/{id}/items: a search over prompts (any case) and a page; a page past the end shows the last. */
export const batchItemsQuerySchema = z.object({
  q: z.string().max(500, "must be at most 500 characters").optional(),
  page: z.string().regex(/^\d+$/, "must be a page number").optional(),
});
