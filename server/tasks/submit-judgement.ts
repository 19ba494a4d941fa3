// Records a judgement. Idempotent per (annotator, idempotency key): a retry returns the first judgement and never
// writes a second row. A lease that ran out is still accepted while its slot is free. The checks and the writes are
// one database call (pairwise_submit, prisma/migrations/*_task_queue_functions), so a submit is one round trip.
import { AppError, parseInput, type ErrorCode } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { deriveSafetyBin } from "@/lib/safety-bin";
import type { Degree, SafetyBin, SafetyLabel, Side } from "@/lib/protocol";
import { prepared, preparedRows } from "../pg-pool";
import { isUniqueViolation } from "../db-errors";
import { submitJudgementSchema } from "./schemas";

export type JudgementView = {
  id: string;
  assignmentId: string;
  comparisonId: string;
  chosenResponseId: string;
  rejectedResponseId: string;
  chosen: Side;
  degree: Degree;
  safety: { left: SafetyLabel; right: SafetyLabel } | null;
  safetyBin: SafetyBin | null;
  timeSpentMs: number;
  guidelineVersionId: string;
  idempotencyKey: string;
  createdAt: string;
};

/** A judgement as the database returns it (pairwise_submit, or Prisma). */
type JudgementRow = {
  id: string;
  assignmentId: string;
  comparisonId: string;
  chosenResponseId: string;
  rejectedResponseId: string;
  chosenSide: Side;
  degree: Degree;
  chosenSafety: SafetyLabel | null;
  rejectedSafety: SafetyLabel | null;
  safetyBin: SafetyBin | null;
  timeSpentMs: number;
  guidelineVersionId: string;
  idempotencyKey: string;
  createdAt: string | Date;
};

export function judgementView(row: JudgementRow): JudgementView {
  const chosenIsLeft = row.chosenSide === "left";
  const safety =
    row.chosenSafety && row.rejectedSafety
      ? {
          left: chosenIsLeft ? row.chosenSafety : row.rejectedSafety,
          right: chosenIsLeft ? row.rejectedSafety : row.chosenSafety,
        }
      : null;
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    comparisonId: row.comparisonId,
    chosenResponseId: row.chosenResponseId,
    rejectedResponseId: row.rejectedResponseId,
    chosen: row.chosenSide,
    degree: row.degree,
    safety,
    safetyBin: row.safetyBin,
    timeSpentMs: row.timeSpentMs,
    guidelineVersionId: row.guidelineVersionId,
    idempotencyKey: row.idempotencyKey,
    createdAt: typeof row.createdAt === "string" ? row.createdAt : row.createdAt.toISOString(),
  };
}

/** The words for each refusal pairwise_submit raises. */
const REFUSALS: Record<string, [ErrorCode, string]> = {
  not_found: ["not_found", "There is no such task of yours."],
  key_reused: ["conflict", "This idempotency key was already used for another assignment; use a new key per judgement."],
  already_judged: ["conflict", "This comparison is already judged."],
  skipped: ["conflict", "This comparison was skipped; it cannot be judged now."],
  batch_closed: ["batch_not_active", "This batch was closed; your judgement was not recorded."],
  lease_expired: ["lease_expired", "Your time on this comparison ran out and another annotator has taken it; this judgement was not recorded."],
  safety_required: ["invalid_input", "safety: this batch requires a safe/unsafe label for both responses."],
};

function refusal(error: unknown): AppError | null {
  const match = /^pairwise:(\w+)$/.exec(String((error as Error)?.message ?? ""));
  const known = match ? REFUSALS[match[1]] : undefined;
  if (!known) return null;
  const details = match![1] === "safety_required" ? { issues: [{ path: "safety", message: "is required in this batch" }] } : undefined;
  return new AppError(known[0], known[1], details);
}

/** The submit: the parameters of pairwise_submit, in its order. */
export const SUBMIT = prepared(
  "pairwise-submit",
  `
  SELECT id, "assignmentId", "comparisonId", "chosenResponseId", "rejectedResponseId", "chosenSide", degree,
         "chosenSafety", "rejectedSafety", "safetyBin", "timeSpentMs", "guidelineVersionId", "idempotencyKey",
         to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
    FROM pairwise_submit($1, $2, $3, $4, $5::"Side", $6::"Degree", $7::"SafetyLabel", $8::"SafetyLabel", $9::"SafetyBin", $10)`,
);

export async function submitJudgement(actor: Actor, input: unknown): Promise<JudgementView> {
  requirePermission(actor, "judgements.submit");
  const data = parseInput(submitJudgementSchema, input);
  const chosenIsLeft = data.chosen === "left";
  const chosenSafety = data.safety ? (chosenIsLeft ? data.safety.left : data.safety.right) : null;
  const rejectedSafety = data.safety ? (chosenIsLeft ? data.safety.right : data.safety.left) : null;
  const safetyBin = chosenSafety && rejectedSafety ? deriveSafetyBin(chosenSafety, rejectedSafety) : null;
  const values = [
    actor.id,
    actor.vendorId,
    data.assignmentId,
    data.idempotencyKey,
    data.chosen,
    data.degree,
    chosenSafety,
    rejectedSafety,
    safetyBin,
    data.timeSpentMs,
  ];
  try {
    const [row] = await preparedRows<JudgementRow>(SUBMIT, values);
    return judgementView(row);
  } catch (error) {
    const refused = refusal(error);
    if (refused) throw refused;
    // The assignment has no judgement yet, but this annotator's key already names one: of another assignment
    // (sent before, or at the same moment and committed first).
    if (isUniqueViolation(error, "idempotencyKey")) throw refusal(new Error("pairwise:key_reused"))!;
    throw error;
  }
}
