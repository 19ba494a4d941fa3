import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listBatches } from "@/server/batches/queries";
import { StatusBadge } from "@/components/batches/status-badge";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function ExportsPage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "exports.read")) return <Forbidden what="Only researchers and admins export datasets." />;
  const batches = await listBatches(actor);
  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
      <h1 className="text-lg font-semibold text-stone-900">Exports</h1>
      <p className="mt-1 text-sm text-stone-600">
        Canonical JSONL, one line per judgement, streamed from the database. Annotators appear as pseudonyms. Also at{" "}
        <code className="rounded bg-stone-100 px-1">GET /api/v1/exports/canonical?batch=ID</code> with an API token.
      </p>
      {batches.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-500">No batches yet.</p>
      ) : (
        <ul className="mt-6 divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {batches.map((batch) => (
            <li key={batch.id} className="flex flex-wrap items-center gap-4 px-4 py-3 text-sm">
              <span className="font-medium text-stone-900">{batch.name}</span>
              <StatusBadge status={batch.status} />
              <span className="text-stone-500">{batch.focus}</span>
              <span className="tabular-nums text-stone-600">{batch.judgements.toLocaleString("en")} judgements</span>
              <a
                className="ml-auto rounded-md border border-stone-300 px-3 py-1 font-medium text-stone-800 hover:bg-stone-50"
                href={`/api/v1/exports/canonical?batch=${encodeURIComponent(batch.id)}`}
                download
                data-testid={`download-${batch.id}`}
              >
                Download canonical JSONL
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
