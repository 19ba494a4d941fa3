// zod inputs for claiming, judging and skipping, shared by the comparison page and the HTTP API.
import { z } from "zod";
import { DEGREES, SAFETY_LABELS, SIDES, SKIP_REASONS } from "@/lib/protocol";

export const claimTaskSchema = z.object({ batchId: z.string().min(1).optional() }).default({});

const safetyLabel = z.enum(SAFETY_LABELS, { error: "must be safe or unsafe" });

export const submitJudgementSchema = z.object({
  assignmentId: z.string({ error: "is required" }).min(1, "is required"),
  chosen: z.enum(SIDES, { error: "must be left or right (there is no tie)" }),
  degree: z.enum(DEGREES, { error: `must be one of ${DEGREES.join(", ")}` }),
  safety: z.object({ left: safetyLabel, right: safetyLabel }, { error: "must be {left, right}" }).optional(),
  idempotencyKey: z.string({ error: "is required" }).min(8, "must be at least 8 characters").max(200, "must be at most 200 characters"),
  timeSpentMs: z
    .number({ error: "must be a number of milliseconds" })
    .int()
    .min(0)
    .max(24 * 3600_000),
});
export type SubmitJudgementInput = z.infer<typeof submitJudgementSchema>;

/** A correction of one's own judgement (undo), within a minute of submitting it. */
export const reviseJudgementSchema = z.object({
  judgementId: z.string({ error: "is required" }).min(1, "is required"),
  chosen: submitJudgementSchema.shape.chosen,
  degree: submitJudgementSchema.shape.degree,
  safety: submitJudgementSchema.shape.safety,
  idempotencyKey: submitJudgementSchema.shape.idempotencyKey,
});

/** The query string of POST /api/v1/judgements: `next=1` hands out the next task in the same answer. */
export const submitJudgementQuerySchema = z.object({
  next: z.enum(["0", "1"], { error: "must be 0 or 1" }).optional(),
  batchId: z.string().min(1).optional(),
});

export const skipTaskSchema = z.object({
  assignmentId: z.string({ error: "is required" }).min(1, "is required"),
  reason: z.enum(SKIP_REASONS, { error: `must be one of ${SKIP_REASONS.join(", ")}` }),
  note: z.string().max(2000).optional(),
});
