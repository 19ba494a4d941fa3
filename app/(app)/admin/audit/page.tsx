import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listAuditEntries, listAuditFacets } from "@/server/audit/queries";
import { AppError } from "@/server/errors";
import { AuditFilters, type AuditQuery } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { Pager } from "@/components/ui/pager";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

const KEYS = ["action", "actor", "entityType", "entityId", "from", "to"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "audit.read")) return <Forbidden what="Only admins read the audit log." />;
  const params = await searchParams;
  const query: AuditQuery = {};
  for (const key of KEYS) {
    const value = params[key];
    if (typeof value === "string" && value.trim() !== "") query[key] = value.trim();
  }
  const facets = await listAuditFacets(actor);
  let result;
  let problem: string | null = null;
  try {
    result = await listAuditEntries(actor, { ...query, page: typeof params.page === "string" ? params.page : undefined });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_input") throw error;
    problem = error.message;
  }
  const hrefFor = (page: number) => `/admin/audit?${new URLSearchParams({ ...query, page: String(page) })}`;
  return (
    <div className="mx-auto max-w-7xl space-y-4 px-4 py-8 sm:px-6">
      <div>
        <h1 className="text-lg font-semibold text-stone-900">Audit log</h1>
        <p className="mt-1 text-sm text-stone-600">
          Every admin action: who, what, when, on which entity, and the values before and after. Times are UTC.
        </p>
      </div>
      <AuditFilters facets={facets} query={query} />
      {problem && (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
      {result && (
        <>
          <AuditTable entries={result.entries} />
          <Pager page={result.page} pages={result.pages} total={result.total} noun={["entry", "entries"]} hrefFor={hrefFor} />
        </>
      )}
    </div>
  );
}
