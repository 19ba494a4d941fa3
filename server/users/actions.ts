"use server";
// Server Actions of the People page.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { createUser } from "./create-user";
import { updateUser } from "./update-user";

export async function createUserAction(input: unknown) {
  return runAction(async () => {
    // The generated password (if any) goes back to this admin once and is never readable again.
    const created = await createUser(await signedInActor(), input);
    revalidatePath("/admin/people");
    return created;
  });
}

export async function updateUserAction(userId: string, input: unknown) {
  return runAction(async () => {
    const user = await updateUser(await signedInActor(), userId, input);
    revalidatePath("/admin/people");
    revalidatePath("/admin/vendors");
    return user;
  });
}
