// Reads for the writing page and the API: the batches an annotator can write in, and a dialogue with its turns, so
// that a reload resumes the writer's open dialogue where it stood. Each checks permission first; a writer sees only
// their own dialogues, blind (no model names).
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import type { AttackVector, Degree, Message, RiskCategory, Side } from "@/lib/protocol";
import { readTurnPlan, sideOfSlot } from "./turn-plan";

export type WritableBatch = {
  id: string;
  name: string;
  focus: "helpfulness" | "safety";
  maxTurns: number;
  /** The caller's dialogue still open in this batch, resumed when they come back. */
  openDialogueId: string | null;
  dialoguesWritten: number;
};

export type WrittenTurnView = {
  comparisonId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  riskCategory: RiskCategory | null;
  attackVector: AttackVector | null;
  /** Stored responses by screen column; null while that column is not sampled yet. */
  left: { id: string; content: string } | null;
  right: { id: string; content: string } | null;
  /** The writer's assignment: exists once both responses are stored. */
  assignmentId: string | null;
  assignmentStatus: "leased" | "submitted" | "skipped" | "lapsed" | null;
  judgement: { chosen: Side; degree: Degree } | null;
  continuedWithResponseId: string | null;
};

export type DialogueView = {
  id: string;
  batchId: string;
  maxTurns: number;
  createdAt: string;
  endedAt: string | null;
  turns: WrittenTurnView[];
};

export type WritingDesk = {
  batch: {
    id: string;
    name: string;
    focus: "helpfulness" | "safety";
    requireSafety: boolean;
    maxTurns: number;
    riskCategories: RiskCategory[];
    attackVectors: AttackVector[];
  };
  guidelines: { version: number; markdown: string };
  dialogue: DialogueView | null;
};

export async function listWritableBatches(actor: Actor): Promise<WritableBatch[]> {
  requirePermission(actor, "judgements.submit");
  const batches = await db.batch.findMany({
    where: { status: "active", promptSource: "annotator_written" },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      focus: true,
      maxTurns: true,
      dialogues: { where: { createdById: actor.id }, select: { id: true, endedAt: true }, orderBy: { createdAt: "desc" } },
    },
  });
  return batches.map((b) => ({
    id: b.id,
    name: b.name,
    focus: b.focus,
    maxTurns: b.maxTurns,
    openDialogueId: b.dialogues.find((d) => d.endedAt === null)?.id ?? null,
    dialoguesWritten: b.dialogues.filter((d) => d.endedAt !== null).length,
  }));
}

/** What the writing page needs for one batch: its settings and guidelines, and the caller's open dialogue if any. */
export async function getWritingDesk(actor: Actor, batchId: string): Promise<WritingDesk> {
  requirePermission(actor, "judgements.submit");
  const batch = await db.batch.findUnique({
    where: { id: batchId },
    include: { guidelineVersions: { orderBy: { version: "desc" }, take: 1 } },
  });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  if (batch.promptSource !== "annotator_written") {
    throw new AppError("conflict", "Annotators do not write the prompts of this batch: its comparisons are imported. Judge them on /annotate.");
  }
  if (batch.status !== "active")
    throw new AppError("batch_not_active", `This batch is ${batch.status}; prompts can be written only while it is active.`);
  const open = await db.dialogue.findFirst({
    where: { batchId, createdById: actor.id, endedAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  const guidelines = batch.guidelineVersions[0];
  return {
    batch: {
      id: batch.id,
      name: batch.name,
      focus: batch.focus,
      requireSafety: batch.requireSafety,
      maxTurns: batch.maxTurns,
      riskCategories: batch.riskCategories,
      attackVectors: batch.attackVectors,
    },
    guidelines: { version: guidelines?.version ?? 0, markdown: guidelines?.markdown ?? "" },
    dialogue: open ? await getDialogue(actor, open.id) : null,
  };
}

export async function getDialogue(actor: Actor, dialogueId: string): Promise<DialogueView> {
  requirePermission(actor, "judgements.submit");
  const dialogue = await db.dialogue.findFirst({
    where: { id: dialogueId, createdById: actor.id },
    include: {
      batch: { select: { maxTurns: true, promptSource: true } },
      comparisons: {
        orderBy: { turnIndex: "asc" },
        include: {
          responses: { select: { id: true, slot: true, content: true } },
          assignments: { where: { annotatorId: actor.id }, include: { judgement: { select: { chosenSide: true, degree: true } } } },
        },
      },
    },
  });
  if (!dialogue || dialogue.batch.promptSource !== "annotator_written") throw new AppError("not_found", `No dialogue ${dialogueId} of yours.`);
  return {
    id: dialogue.id,
    batchId: dialogue.batchId,
    maxTurns: dialogue.batch.maxTurns,
    createdAt: dialogue.createdAt.toISOString(),
    endedAt: dialogue.endedAt?.toISOString() ?? null,
    turns: dialogue.comparisons.map((c) => {
      const plan = readTurnPlan(c.sourceMetadata, c.id);
      const column = (side: Side) => {
        const response = c.responses.find((r) => sideOfSlot(plan, r.slot) === side);
        return response ? { id: response.id, content: response.content } : null;
      };
      const assignment = c.assignments[0] ?? null;
      return {
        comparisonId: c.id,
        turnIndex: c.turnIndex,
        context: c.context as Message[],
        prompt: c.prompt,
        riskCategory: c.riskCategory,
        attackVector: c.attackVector,
        left: column("left"),
        right: column("right"),
        assignmentId: assignment?.id ?? null,
        assignmentStatus: assignment?.status ?? null,
        judgement: assignment?.judgement ? { chosen: assignment.judgement.chosenSide, degree: assignment.judgement.degree } : null,
        continuedWithResponseId: c.continuedWithResponseId,
      };
    }),
  };
}
