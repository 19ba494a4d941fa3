"use server";
// Server Actions of the writing page: each resolves the signed-in user itself, then calls the domain. The responses
// stream through /api/v1/comparisons/{id}/stream and /retry (a Server Action cannot stream them).
import { currentUser } from "../auth/current-user";
import { AppError } from "../errors";
import { runAction } from "../action-result";
import { startDialogue, startNextTurn } from "./start-turn";
import { endDialogue } from "./end-dialogue";

async function signedIn() {
  const actor = await currentUser();
  if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again to continue.");
  return actor;
}

export async function startDialogueAction(input: unknown) {
  return runAction(async () => startDialogue(await signedIn(), input));
}

export async function startNextTurnAction(dialogueId: string, input: unknown) {
  return runAction(async () => startNextTurn(await signedIn(), dialogueId, input));
}

export async function endDialogueAction(dialogueId: string) {
  return runAction(async () => endDialogue(await signedIn(), dialogueId));
}
