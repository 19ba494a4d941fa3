// Ends a written dialogue. A last turn whose two responses were never both sampled is removed (no half-sampled
// comparison stays behind to be counted), and the previous turn then continued with nothing. A last turn that is
// complete but unjudged is skipped by its writer, so it goes to the pool like any other comparison. Idempotent.
import { db } from "../db";
import { AppError } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";

export type EndedDialogue = { dialogueId: string; endedAt: string; turns: number };

export async function endDialogue(actor: Actor, dialogueId: string): Promise<EndedDialogue> {
  requirePermission(actor, "judgements.submit");
  return db.$transaction(async (tx) => {
    const [dialogue] = await tx.$queryRaw<{ id: string; endedAt: Date | null }[]>`
      SELECT id, "endedAt" FROM "Dialogue" WHERE id = ${dialogueId} AND "createdById" = ${actor.id} FOR UPDATE`;
    if (!dialogue) throw new AppError("not_found", `No dialogue ${dialogueId} of yours.`);
    const countTurns = () => tx.comparison.count({ where: { dialogueId } });
    if (dialogue.endedAt) return { dialogueId, endedAt: dialogue.endedAt.toISOString(), turns: await countTurns() };

    const last = await tx.comparison.findFirst({
      where: { dialogueId },
      orderBy: { turnIndex: "desc" },
      select: { id: true, turnIndex: true },
    });
    if (last) {
      // Lock the turn so a stream storing its responses right now either finishes first or finds it gone.
      await tx.$queryRaw`SELECT id FROM "Comparison" WHERE id = ${last.id} FOR UPDATE`;
      const responses = await tx.response.count({ where: { comparisonId: last.id } });
      if (responses < 2) {
        await tx.comparison.delete({ where: { id: last.id } });
        await tx.comparison.updateMany({ where: { dialogueId, turnIndex: last.turnIndex - 1 }, data: { continuedWithResponseId: null } });
      } else {
        await tx.assignment.updateMany({
          where: { comparisonId: last.id, annotatorId: actor.id, status: "leased" },
          data: {
            status: "skipped",
            skipReason: "other",
            skipNote: "The writer ended the dialogue before judging this turn.",
            finishedAt: new Date(),
          },
        });
      }
    }
    const ended = await tx.dialogue.update({ where: { id: dialogueId }, data: { endedAt: new Date() } });
    return { dialogueId, endedAt: ended.endedAt!.toISOString(), turns: await countTurns() };
  });
}
