// What an annotator sees of an assignment: blind (no model names), in the recorded left/right order, with the
// guidelines version in force when it was claimed. One query: it runs on every claim.
import type { Message } from "@/lib/protocol";
import { prepared, preparedRows } from "../pg-pool";

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

type TaskRow = {
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

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export const TASK_VIEW = prepared(
  "pairwise-task-view",
  `
  SELECT a.id AS "assignmentId", b.id AS "batchId", b.name AS "batchName", b.focus, b."requireSafety",
         g.id AS "guidelinesId", g.version AS "guidelinesVersion", g.markdown AS "guidelinesMarkdown",
         c."dialogueId", c."turnIndex", c.context, c.prompt,
         l.id AS "leftId", l.content AS "leftContent", r.id AS "rightId", r.content AS "rightContent",
         to_char(a."leasedAt", ${ISO}) AS "leasedAt", to_char(a."leaseExpiresAt", ${ISO}) AS "leaseExpiresAt"
    FROM "Assignment" a
    JOIN "Comparison" c ON c.id = a."comparisonId"
    JOIN "Batch" b ON b.id = c."batchId"
    JOIN "Response" l ON l.id = a."leftResponseId"
    JOIN "Response" r ON r.id = a."rightResponseId"
    JOIN "GuidelineVersion" g ON g.id = pairwise_guideline_in_force(b.id, a."leasedAt")
   WHERE a.id = $1`,
);

export async function loadTaskView(assignmentId: string): Promise<TaskView> {
  const [row] = await preparedRows<TaskRow>(TASK_VIEW, [assignmentId]);
  if (!row) throw new Error(`assignment ${assignmentId} vanished while it was being handed out`);
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
