import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { AppHeader, type NavLink } from "@/components/nav/app-header";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentUser();
  if (!actor) redirect("/sign-in");
  const links: NavLink[] = [];
  if (hasPermission(actor, "tasks.claim")) links.push({ href: "/annotate", label: "Annotate" });
  if (hasPermission(actor, "batches.write")) links.push({ href: "/admin/batches", label: "Batches" });
  if (hasPermission(actor, "exports.read")) links.push({ href: "/exports", label: "Exports" });
  return (
    <>
      <AppHeader name={actor.name} role={actor.role} links={links} />
      <main>{children}</main>
    </>
  );
}
