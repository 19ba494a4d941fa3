// zod inputs for annotator-written dialogues, shared by the writing page and the HTTP API.
import { z } from "zod";
import { ATTACK_VECTORS, RISK_CATEGORIES, SIDES } from "@/lib/protocol";

const prompt = z
  .string({ error: "is required: the user turn you wrote" })
  .max(20_000, "must be at most 20,000 characters")
  .refine((text) => text.trim() !== "", "must not be empty")
  .transform((text) => text.trim());

// Safety batches: required, and among the batch's own lists (checked against the batch in start-turn.ts).
const riskCategory = z.enum(RISK_CATEGORIES, { error: `must be one of ${RISK_CATEGORIES.join(", ")}` }).optional();
const attackVector = z.enum(ATTACK_VECTORS, { error: `must be one of ${ATTACK_VECTORS.join(", ")}` }).optional();

export const startDialogueSchema = z.object({
  batchId: z.string({ error: "is required" }).trim().min(1, "is required"),
  prompt,
  riskCategory,
  attackVector,
});
export type StartDialogueInput = z.input<typeof startDialogueSchema>;

/** The next user turn; in safety batches the tags default to the previous turn's when left out. */
export const startNextTurnSchema = z.object({ prompt, riskCategory, attackVector });
export type StartNextTurnInput = z.input<typeof startNextTurnSchema>;

export const retrySideSchema = z.object({
  side: z.enum(SIDES, { error: "must be left or right: the column whose response failed" }),
});
