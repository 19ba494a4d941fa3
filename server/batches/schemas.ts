// zod inputs for batches, shared by forms and the HTTP API.
import { z } from "zod";
import { BATCH_FOCUSES, BATCH_STATUSES } from "@/lib/protocol";

export const createBatchSchema = z.object({
  name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  focus: z.enum(BATCH_FOCUSES, { error: `must be one of ${BATCH_FOCUSES.join(", ")}` }),
  overlap: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(10, "must be at most 10").default(1),
  guidelines: z.string().max(200_000, "must be at most 200,000 characters").default(""),
  requireSafety: z.boolean().optional(),
  // How long a claimed task stays with its annotator before it returns to the pool.
  leaseSeconds: z.coerce.number().int("must be a whole number").min(5, "must be at least 5 seconds").max(86_400, "must be at most a day").default(900),
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
