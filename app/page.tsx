import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";

export const dynamic = "force-dynamic";

// Each role lands where its work is.
export default async function Home() {
  const actor = await currentUser();
  if (!actor) redirect("/sign-in");
  if (hasPermission(actor, "tasks.claim")) redirect("/annotate");
  if (hasPermission(actor, "batches.write")) redirect("/admin/batches");
  redirect("/exports");
}
