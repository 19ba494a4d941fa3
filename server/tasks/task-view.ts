// What an annotator sees of an assignment: blind (no model names), in the recorded left/right order.
import type { Prisma } from "../generated/prisma/client";
import type { Message } from "@/lib/protocol";
import { guidelineVersionAt } from "../batches/guideline-in-force";

export type TaskView = {
  assignmentId: string;
  batch: { id: string; name: string; focus: "helpfulness" | "safety"; requireSafety: boolean };
  guidelines: { versionId: string; version: number; markdown: string };
  dialogueId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  left: { id: string; content: string };
  right: { id: string; content: string };
  leasedAt: string;
  leaseExpiresAt: string;
};

export async function loadTaskView(tx: Prisma.TransactionClient, assignmentId: string): Promise<TaskView> {
  const assignment = await tx.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    include: {
      comparison: {
        include: {
          responses: { select: { id: true, content: true } },
          batch: true,
        },
      },
    },
  });
  const { comparison } = assignment;
  const byId = new Map(comparison.responses.map((r) => [r.id, r]));
  // The version in force when the task was claimed (a reload shows the same one; the judgement records it).
  const guidelines = await guidelineVersionAt(tx, comparison.batchId, assignment.leasedAt);
  return {
    assignmentId: assignment.id,
    batch: {
      id: comparison.batch.id,
      name: comparison.batch.name,
      focus: comparison.batch.focus,
      requireSafety: comparison.batch.requireSafety,
    },
    guidelines: { versionId: guidelines.id, version: guidelines.version, markdown: guidelines.markdown },
    dialogueId: comparison.dialogueId,
    turnIndex: comparison.turnIndex,
    context: comparison.context as Message[],
    prompt: comparison.prompt,
    left: byId.get(assignment.leftResponseId)!,
    right: byId.get(assignment.rightResponseId)!,
    leasedAt: assignment.leasedAt.toISOString(),
    leaseExpiresAt: assignment.leaseExpiresAt.toISOString(),
  };
}
