"use server";
// Server Actions of the comparison page: each resolves the signed-in user itself, then calls the domain.
import { currentUser } from "../auth/current-user";
import { AppError } from "../errors";
import { runAction } from "../action-result";
import type { Actor } from "../auth/permissions";
import { claimNextTask } from "./claim-next-task";
import { submitJudgement } from "./submit-judgement";
import { skipTask } from "./skip-task";
import { reviseJudgement } from "./revise-judgement";
import { getAnnotatorProgress } from "./queries";

async function signedIn() {
  const actor = await currentUser();
  if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again to continue.");
  return actor;
}

async function claimWithProgress(actor: Actor, batchId?: string) {
  const task = await claimNextTask(actor, { batchId });
  const progress = await getAnnotatorProgress(actor, task?.batch.id ?? batchId ?? null);
  return { task, progress };
}

/** Claims the next task (of one batch, when given) and reads the progress that goes with it, in one round trip. */
export async function claimNextTaskAction(batchId?: string) {
  return runAction(async () => claimWithProgress(await signedIn(), batchId));
}

/**
 * Records a judgement and hands out the next task in the same round trip, so the next comparison is on screen as
 * soon as the answer arrives. A retry after a lost answer repeats the idempotency key: the judgement is not
 * recorded twice, and the claim returns the task already leased.
 */
export async function submitAndClaimNextAction(batchId: string | undefined, input: unknown) {
  return runAction(async () => {
    const actor = await signedIn();
    const judgement = await submitJudgement(actor, input);
    return { judgement, next: await claimWithProgress(actor, batchId) };
  });
}

export async function submitJudgementAction(input: unknown) {
  return runAction(async () => submitJudgement(await signedIn(), input));
}

/** Corrects the annotator's last judgement (undo), within a minute of submitting it. */
export async function reviseJudgementAction(input: unknown) {
  return runAction(async () => reviseJudgement(await signedIn(), input));
}

export async function skipTaskAction(input: unknown) {
  return runAction(async () => skipTask(await signedIn(), input));
}
