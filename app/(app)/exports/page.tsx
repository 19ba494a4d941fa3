import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listBatches } from "@/server/batches/queries";
import { listDatasets } from "@/server/datasets/queries";
import { listVendorNames } from "@/server/users/queries";
import { DatasetBuilder } from "@/components/datasets/dataset-builder";
import { DatasetList } from "@/components/datasets/dataset-list";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function ExportsPage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "exports.read")) return <Forbidden what="Only researchers and admins export datasets." />;
  const [batches, vendors, datasets] = await Promise.all([listBatches(actor), listVendorNames(actor), listDatasets(actor)]);
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <div>
        <h1 className="text-lg font-semibold text-stone-900">Datasets</h1>
        <p className="mt-1 text-sm text-stone-600">
          Reward-model data in the format your trainer reads, streamed from the database. Also at{" "}
          <code className="rounded bg-stone-100 px-1">GET /api/v1/exports/FORMAT?…</code> and{" "}
          <code className="rounded bg-stone-100 px-1">npm run export</code>.
        </p>
      </div>
      <DatasetBuilder batches={batches.map((b) => ({ id: b.id, name: b.name, focus: b.focus, judgements: b.judgements }))} vendors={vendors} />
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">Saved datasets</h2>
        <DatasetList datasets={datasets} />
      </section>
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">Per batch</h2>
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white">
          {batches.map((batch) => (
            <li key={batch.id} className="flex flex-wrap items-center gap-4 px-4 py-2.5 text-sm">
              <span className="font-medium text-stone-900">{batch.name}</span>
              <span className="text-stone-600">{batch.focus}</span>
              <span className="tabular-nums text-stone-600">{batch.judgements.toLocaleString("en")} judgements</span>
              <a
                className="ml-auto rounded-md border border-stone-300 px-3 py-1 font-medium text-stone-800 hover:bg-stone-50"
                href={`/api/v1/exports/canonical?batch=${encodeURIComponent(batch.id)}`}
                download
                data-testid={`download-${batch.id}`}
              >
                Canonical JSONL
              </a>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
