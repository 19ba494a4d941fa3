"use server";
// Server Actions of the account page: a user's own password and API tokens.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { changePassword } from "./change-password";
import { createApiToken, revokeApiToken } from "../auth/api-tokens";

export async function changePasswordAction(input: unknown) {
  return runAction(async () => changePassword(await signedInActor(), input));
}

export async function createApiTokenAction(input: unknown) {
  return runAction(async () => {
    // The token goes back to this user once and is never readable again.
    const created = await createApiToken(await signedInActor(), input);
    revalidatePath("/account");
    revalidatePath("/admin/people");
    return created;
  });
}

export async function revokeApiTokenAction(tokenId: string) {
  return runAction(async () => {
    const revoked = await revokeApiToken(await signedInActor(), tokenId);
    revalidatePath("/account");
    revalidatePath("/admin/people");
    return revoked;
  });
}
