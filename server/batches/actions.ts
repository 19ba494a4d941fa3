"use server";
// Server Actions of the batches console: each resolves the signed-in user, then calls the domain function.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { createBatch } from "./create-batch";
import { setBatchStatus } from "./set-batch-status";
import { saveGuidelines } from "./save-guidelines";
import { updateBatch } from "./update-batch";
import { setBatchModelVariants } from "./set-batch-model-variants";

function refresh(batchId?: string) {
  if (batchId) revalidatePath(`/admin/batches/${batchId}`);
  revalidatePath("/admin/batches");
}

export async function createBatchAction(input: unknown) {
  return runAction(async () => {
    const batch = await createBatch(await signedInActor(), input);
    refresh();
    return batch;
  });
}

export async function setBatchStatusAction(batchId: string, status: string) {
  return runAction(async () => {
    const result = await setBatchStatus(await signedInActor(), batchId, { status });
    refresh(batchId);
    return result;
  });
}

export async function saveGuidelinesAction(batchId: string, input: unknown) {
  return runAction(async () => {
    const saved = await saveGuidelines(await signedInActor(), batchId, input);
    refresh(batchId);
    return saved;
  });
}

export async function updateBatchAction(batchId: string, input: unknown) {
  return runAction(async () => {
    const settings = await updateBatch(await signedInActor(), batchId, input);
    refresh(batchId);
    return settings;
  });
}

export async function setBatchModelVariantsAction(batchId: string, input: unknown) {
  return runAction(async () => {
    const result = await setBatchModelVariants(await signedInActor(), batchId, input);
    refresh(batchId);
    return result;
  });
}
