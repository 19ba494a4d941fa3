import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listVendors } from "@/server/vendors/queries";
import { createVendorAction, renameVendorAction } from "@/server/vendors/actions";
import { VendorTable } from "@/components/vendors/vendor-table";
import { CreateVendorForm } from "@/components/vendors/create-vendor-form";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function VendorsPage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "users.write")) return <Forbidden what="Only admins manage vendors." />;
  const vendors = await listVendors(actor);
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <section>
        <h1 className="text-lg font-semibold text-stone-900">Vendors</h1>
        <p className="mb-4 mt-1 text-sm text-stone-600">
          The teams annotators work in. Each judgement keeps the vendor its annotator worked for when making it, and exports can filter by vendor.
        </p>
        <VendorTable vendors={vendors} rename={renameVendorAction} />
      </section>
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">New vendor</h2>
        <CreateVendorForm create={createVendorAction} />
      </section>
    </div>
  );
}
