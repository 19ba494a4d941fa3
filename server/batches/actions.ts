"use server";
// Server Actions of the batches console.
import { revalidatePath } from "next/cache";
import { currentUser } from "../auth/current-user";
import { AppError } from "../errors";
import { runAction } from "../action-result";
import { createBatch } from "./create-batch";
import { setBatchStatus } from "./set-batch-status";

export async function createBatchAction(input: unknown) {
  return runAction(async () => {
    const actor = await currentUser();
    if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again.");
    const batch = await createBatch(actor, input);
    revalidatePath("/admin/batches");
    return batch;
  });
}

export async function setBatchStatusAction(batchId: string, status: string) {
  return runAction(async () => {
    const actor = await currentUser();
    if (!actor) throw new AppError("unauthenticated", "Your session ended. Sign in again.");
    const result = await setBatchStatus(actor, batchId, { status });
    revalidatePath(`/admin/batches/${batchId}`);
    revalidatePath("/admin/batches");
    return result;
  });
}
