// What an annotator sees of an assignment: blind (no model names), in the recorded left/right order, with the
// guidelines version in force when it was claimed. The database builds it (pairwise_task_view, which the claim
// returns in the same round trip); this file gives it its shape.
import type { Message } from "@/lib/protocol";

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

/** A row of pairwise_task_view (and of pairwise_claim). */
export type TaskRow = {
  assignmentId: string;
  batchId: string;
  batchName: string;
  focus: TaskView["batch"]["focus"];
  requireSafety: boolean;
  guidelinesId: string;
  guidelinesVersion: number;
  guidelinesMarkdown: string;
  dialogueId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  leftId: string;
  leftContent: string;
  rightId: string;
  rightContent: string;
  leasedAt: string;
  leaseExpiresAt: string;
};

export function toTaskView(row: TaskRow): TaskView {
  return {
    assignmentId: row.assignmentId,
    batch: { id: row.batchId, name: row.batchName, focus: row.focus, requireSafety: row.requireSafety },
    guidelines: { versionId: row.guidelinesId, version: row.guidelinesVersion, markdown: row.guidelinesMarkdown },
    dialogueId: row.dialogueId,
    turnIndex: row.turnIndex,
    context: row.context,
    prompt: row.prompt,
    left: { id: row.leftId, content: row.leftContent },
    right: { id: row.rightId, content: row.rightContent },
    leasedAt: row.leasedAt,
    leaseExpiresAt: row.leaseExpiresAt,
  };
}
