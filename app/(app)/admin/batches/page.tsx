import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listBatches } from "@/server/batches/queries";
import { createBatchAction } from "@/server/batches/actions";
import { BatchTable } from "@/components/batches/batch-table";
import { CreateBatchForm } from "@/components/batches/create-batch-form";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function BatchesPage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "batches.write")) return <Forbidden what="Only admins manage batches." />;
  const batches = await listBatches(actor);
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <section>
        <h1 className="mb-4 text-lg font-semibold text-stone-900">Batches</h1>
        <BatchTable batches={batches} hrefFor={(id) => `/admin/batches/${id}`} />
      </section>
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">New batch</h2>
        <CreateBatchForm create={createBatchAction} />
      </section>
    </div>
  );
}
