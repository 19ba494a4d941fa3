"use server";
// Server Actions of the batch page's generation panel: start, retry failed items. Progress is read over GET
// /api/v1/batches/{id}/generation (the session cookie works there), so polling never queues behind an action.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { startGeneration } from "./start-generation";
import { retryFailedGeneration } from "./retry-failed-items";

export async function startGenerationAction(batchId: string) {
  return runAction(async () => {
    const job = await startGeneration(await signedInActor(), batchId);
    revalidatePath(`/admin/batches/${batchId}`);
    return job;
  });
}

export async function retryFailedGenerationAction(batchId: string) {
  return runAction(async () => {
    const job = await retryFailedGeneration(await signedInActor(), batchId);
    revalidatePath(`/admin/batches/${batchId}`);
    return job;
  });
}
