// Starts a turn of an annotator-written dialogue: the first one (a new dialogue) or the next one, once the writer
// judged the previous turn; the response they chose becomes the assistant turn of the context and the previous
// comparison records it as the one the dialogue continued with. A turn is a comparison without responses until both
// are sampled (stream-turn-responses.ts); its pairing is drawn here, once.
import { db, type Prisma } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { promptContentSha256 } from "@/lib/content-hash";
import type { AttackVector, Message, RiskCategory } from "@/lib/protocol";
import { startDialogueSchema, startNextTurnSchema } from "./schemas";
import { drawTurnPlan } from "./turn-plan";

export type StartedTurn = {
  dialogueId: string;
  comparisonId: string;
  turnIndex: number;
  maxTurns: number;
  /** True when this turn is the last the batch allows: after judging it, the dialogue can only end. */
  lastTurn: boolean;
};

type WritableBatch = {
  id: string;
  focus: "helpfulness" | "safety";
  maxTurns: number;
  riskCategories: RiskCategory[];
  attackVectors: AttackVector[];
};

type Tags = { riskCategory: RiskCategory | null; attackVector: AttackVector | null };

export async function startDialogue(actor: Actor, input: unknown): Promise<StartedTurn> {
  requirePermission(actor, "judgements.submit");
  const data = parseInput(startDialogueSchema, input);
  return db.$transaction(async (tx) => {
    // One open dialogue per writer and batch: the writer's row lock makes two concurrent starts take turns.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${actor.id} FOR NO KEY UPDATE`;
    const batch = await loadWritableBatch(tx, data.batchId);
    const open = await tx.dialogue.findFirst({ where: { batchId: batch.id, createdById: actor.id, endedAt: null }, select: { id: true } });
    if (open) {
      throw new AppError(
        "conflict",
        `You already have an open dialogue in this batch (${open.id}); continue it (POST /api/v1/dialogues/${open.id}/turns) or end it ` +
          `(POST /api/v1/dialogues/${open.id}/end) first.`,
      );
    }
    const tags = checkTags(batch, data, null);
    const dialogue = await tx.dialogue.create({ data: { batchId: batch.id, createdById: actor.id } });
    return createTurn(tx, batch, { dialogueId: dialogue.id, turnIndex: 0, context: [], prompt: data.prompt, tags });
  });
}

export async function startNextTurn(actor: Actor, dialogueId: string, input: unknown): Promise<StartedTurn> {
  requirePermission(actor, "judgements.submit");
  const data = parseInput(startNextTurnSchema, input);
  return db.$transaction(async (tx) => {
    // The dialogue row lock serialises two requests for the next turn (a double submit): the second sees the first's turn.
    const [dialogue] = await tx.$queryRaw<{ id: string; batchId: string; endedAt: Date | null }[]>`
      SELECT id, "batchId", "endedAt" FROM "Dialogue" WHERE id = ${dialogueId} AND "createdById" = ${actor.id} FOR UPDATE`;
    if (!dialogue) throw new AppError("not_found", `No dialogue ${dialogueId} of yours.`);
    if (dialogue.endedAt) throw new AppError("conflict", "This dialogue has ended; start a new one.");
    const batch = await loadWritableBatch(tx, dialogue.batchId);
    const previous = await tx.comparison.findFirst({
      where: { dialogueId },
      orderBy: { turnIndex: "desc" },
      include: { responses: true, judgements: { where: { annotatorId: actor.id }, take: 1 } },
    });
    if (!previous) throw new AppError("conflict", "This dialogue has no turn to continue; start a new dialogue.");
    const judgement = previous.judgements[0];
    if (!judgement) {
      throw new AppError("conflict", `Judge turn ${previous.turnIndex + 1} of this dialogue before writing the next one.`);
    }
    const turnIndex = previous.turnIndex + 1;
    if (turnIndex >= batch.maxTurns) {
      throw new AppError(
        "conflict",
        `This dialogue reached the ${batch.maxTurns} turn${batch.maxTurns === 1 ? "" : "s"} this batch allows; end it and start a new one.`,
      );
    }
    const chosen = previous.responses.find((r) => r.id === judgement.chosenResponseId)!;
    const tags = checkTags(batch, data, { riskCategory: previous.riskCategory, attackVector: previous.attackVector });
    await tx.comparison.update({ where: { id: previous.id }, data: { continuedWithResponseId: chosen.id } });
    const context: Message[] = [
      ...(previous.context as Message[]),
      { role: "user", content: previous.prompt },
      { role: "assistant", content: chosen.content },
    ];
    return createTurn(tx, batch, { dialogueId, turnIndex, context, prompt: data.prompt, tags });
  });
}

async function loadWritableBatch(tx: Prisma.TransactionClient, batchId: string): Promise<WritableBatch> {
  const batch = await tx.batch.findUnique({
    where: { id: batchId },
    select: { id: true, status: true, promptSource: true, focus: true, maxTurns: true, riskCategories: true, attackVectors: true },
  });
  if (!batch) throw new AppError("not_found", `No batch with id ${batchId}.`);
  if (batch.promptSource !== "annotator_written") {
    throw new AppError("conflict", "Annotators do not write the prompts of this batch: its comparisons are imported. Judge them on /annotate.");
  }
  if (batch.status !== "active")
    throw new AppError("batch_not_active", `This batch is ${batch.status}; prompts can be written only while it is active.`);
  return batch;
}

/** Safety batches: a risk category and an attack vector from the batch's own lists. Helpfulness prompts carry none. */
function checkTags(batch: WritableBatch, data: { riskCategory?: RiskCategory; attackVector?: AttackVector }, previous: Tags | null): Tags {
  if (batch.focus !== "safety") {
    const given = (["riskCategory", "attackVector"] as const).filter((field) => data[field] !== undefined);
    if (given.length > 0) {
      throw new AppError("invalid_input", `${given.join(", ")}: only prompts of safety batches are tagged.`, {
        issues: given.map((path) => ({ path, message: "only prompts of safety batches are tagged" })),
      });
    }
    return { riskCategory: null, attackVector: null };
  }
  const riskCategory = data.riskCategory ?? previous?.riskCategory ?? null;
  const attackVector = data.attackVector ?? previous?.attackVector ?? null;
  const issues: { path: string; message: string }[] = [];
  if (!riskCategory) issues.push({ path: "riskCategory", message: `is required in a safety batch: one of ${batch.riskCategories.join(", ")}` });
  else if (!batch.riskCategories.includes(riskCategory)) {
    issues.push({ path: "riskCategory", message: `must be one of this batch's risk categories: ${batch.riskCategories.join(", ")}` });
  }
  if (!attackVector) issues.push({ path: "attackVector", message: `is required in a safety batch: one of ${batch.attackVectors.join(", ")}` });
  else if (!batch.attackVectors.includes(attackVector)) {
    issues.push({ path: "attackVector", message: `must be one of this batch's attack vectors: ${batch.attackVectors.join(", ")}` });
  }
  if (issues.length > 0) throw new AppError("invalid_input", issues.map((i) => `${i.path}: ${i.message}`).join("; "), { issues });
  return { riskCategory, attackVector };
}

async function createTurn(
  tx: Prisma.TransactionClient,
  batch: WritableBatch,
  turn: { dialogueId: string; turnIndex: number; context: Message[]; prompt: string; tags: Tags },
): Promise<StartedTurn> {
  const plan = await drawTurnPlan(tx, batch.id);
  const comparison = await tx.comparison.create({
    data: {
      batchId: batch.id,
      dialogueId: turn.dialogueId,
      turnIndex: turn.turnIndex,
      context: turn.context,
      prompt: turn.prompt,
      riskCategory: turn.tags.riskCategory,
      attackVector: turn.tags.attackVector,
      // Until both responses are stored the comparison hashes as a prompt, like an imported prompt awaiting generation.
      contentSha256: promptContentSha256(turn.context, turn.prompt),
      sourceMetadata: plan,
    },
  });
  return {
    dialogueId: turn.dialogueId,
    comparisonId: comparison.id,
    turnIndex: turn.turnIndex,
    maxTurns: batch.maxTurns,
    lastTurn: turn.turnIndex + 1 >= batch.maxTurns,
  };
}
