"use server";
// Server Actions of the Vendors page.
import { revalidatePath } from "next/cache";
import { signedInActor } from "../auth/current-user";
import { runAction } from "../action-result";
import { createVendor } from "./create-vendor";
import { renameVendor } from "./rename-vendor";

export async function createVendorAction(input: unknown) {
  return runAction(async () => {
    const vendor = await createVendor(await signedInActor(), input);
    revalidatePath("/admin/vendors");
    revalidatePath("/admin/people");
    return vendor;
  });
}

export async function renameVendorAction(vendorId: string, input: unknown) {
  return runAction(async () => {
    const vendor = await renameVendor(await signedInActor(), vendorId, input);
    revalidatePath("/admin/vendors");
    revalidatePath("/admin/people");
    return vendor;
  });
}
