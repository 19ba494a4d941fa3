// Ends every session of a user at once: their JWTs carry the old session version, which no request accepts.
import { db, type Prisma } from "../db";

export async function endSessions(userId: string, tx: Prisma.TransactionClient = db): Promise<void> {
  await tx.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
