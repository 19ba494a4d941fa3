import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { AppHeader, type NavLink } from "@/components/nav/app-header";
import { themePreference } from "../theme";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentUser();
  if (!actor) redirect("/sign-in");
  // Each link shows when the role holds the permission its page needs (the pages check again).
  const candidates: [NavLink, boolean][] = [
    [{ href: "/annotate", label: "Annotate" }, hasPermission(actor, "tasks.claim")],
    [{ href: "/admin/batches", label: "Batches" }, hasPermission(actor, "batches.write")],
    [{ href: "/admin/model-variants", label: "Model variants" }, hasPermission(actor, "model-variants.write")],
    [{ href: "/admin/people", label: "People" }, hasPermission(actor, "users.write")],
    [{ href: "/admin/vendors", label: "Vendors" }, hasPermission(actor, "users.write")],
    [{ href: "/admin/audit", label: "Audit" }, hasPermission(actor, "audit.read")],
    [{ href: "/insights", label: "Insights" }, hasPermission(actor, "insights.read")],
    [{ href: "/exports", label: "Exports" }, hasPermission(actor, "exports.read")],
  ];
  const links = candidates.filter(([, shown]) => shown).map(([link]) => link);
  return (
    <>
      <AppHeader name={actor.name} role={actor.role} links={links} theme={await themePreference()} />
      <main>{children}</main>
    </>
  );
}
