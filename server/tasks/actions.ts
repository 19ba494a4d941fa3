"use server";
// Server Actions of the comparison page: each resolves the signed-in user itself, then calls the domain.
import { currentUser } from "../auth/current-user";
import { AppError } from "../errors";
import { runAction } from "../action-result";
import { claimNextTask } from "./claim-next-task";
import { submitJudgement } from "./submit-judgement";
import { skipTask } from "./skip-task";
import { getAnnotatorProgress } from "./queries";

async function signedIn() {
  const actor = await currentUser();
  if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again to continue.");
  return actor;
}

/** Claims the next task (of one batch, when given) and reads the progress that goes with it, in one round trip. */
export async function claimNextTaskAction(batchId?: string) {
  return runAction(async () => {
    const actor = await signedIn();
    const task = await claimNextTask(actor, { batchId });
    const progress = await getAnnotatorProgress(actor, task?.batch.id ?? null);
    return { task, progress };
  });
}

export async function submitJudgementAction(input: unknown) {
  return runAction(async () => submitJudgement(await signedIn(), input));
}

export async function skipTaskAction(input: unknown) {
  return runAction(async () => skipTask(await signedIn(), input));
}
