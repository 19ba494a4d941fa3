"use server";
// Server Actions of the model variants page.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { createModelVariant } from "./create-model-variant";
import { updateModelVariant } from "./update-model-variant";
import { testModelVariant } from "./test-model-variant";

export async function createModelVariantAction(input: unknown) {
  return runAction(async () => {
    const variant = await createModelVariant(await signedInActor(), input);
    revalidatePath("/admin/model-variants");
    return variant;
  });
}

export async function updateModelVariantAction(modelVariantId: string, input: unknown) {
  return runAction(async () => {
    const variant = await updateModelVariant(await signedInActor(), modelVariantId, input);
    revalidatePath("/admin/model-variants");
    return variant;
  });
}

export async function testModelVariantAction(modelVariantId: string) {
  return runAction(async () => testModelVariant(await signedInActor(), modelVariantId));
}
