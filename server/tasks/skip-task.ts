// Skips an assigned comparison with a reason; the annotator will not be given it again.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { skipTaskSchema } from "./schemas";

export async function skipTask(actor: Actor, input: unknown): Promise<{ assignmentId: string; status: "skipped" }> {
  requirePermission(actor, "tasks.claim");
  const data = parseInput(skipTaskSchema, input);
  const assignment = await db.assignment.findFirst({ where: { id: data.assignmentId, annotatorId: actor.id } });
  if (!assignment) throw new AppError("not_found", `No assignment ${data.assignmentId} of yours.`);
  if (assignment.status === "submitted") throw new AppError("conflict", "This comparison is already judged.");
  if (assignment.status === "leased") {
    await db.assignment.updateMany({
      where: { id: assignment.id, status: "leased" },
      data: { status: "skipped", skipReason: data.reason, skipNote: data.note, finishedAt: new Date() },
    });
  }
  return { assignmentId: assignment.id, status: "skipped" };
}
