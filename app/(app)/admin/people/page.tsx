import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { listUsers } from "@/server/users/queries";
import { listVendors } from "@/server/vendors/queries";
import { createUserAction, updateUserAction } from "@/server/users/actions";
import { UserTable } from "@/components/people/user-table";
import { CreateUserForm } from "@/components/people/create-user-form";
import { Forbidden } from "@/components/ui/forbidden";
import { listApiTokens } from "@/server/auth/api-tokens";
import { revokeApiTokenAction } from "@/server/account/actions";
import { TokenTable } from "@/components/account/token-table";

export const dynamic = "force-dynamic";

export default async function PeoplePage() {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "users.write")) return <Forbidden what="Only admins manage people." />;
  const [users, vendors, tokens] = await Promise.all([listUsers(actor), listVendors(actor), listApiTokens(actor, { userId: "*" })]);
  const vendorNames = vendors.map((v) => v.name);
  return (
    <div className="mx-auto max-w-7xl space-y-8 px-4 py-8 sm:px-6">
      <section>
        <h1 className="text-lg font-semibold text-stone-900">People</h1>
        <p className="mb-4 mt-1 text-sm text-stone-600">
          {users.filter((u) => u.active).length} active of {users.length} users. Vendors (the teams annotators work in) are managed on the{" "}
          <Link href="/admin/vendors" className="text-teal-800 underline">
            Vendors
          </Link>{" "}
          page.
        </p>
        <UserTable users={users} vendors={vendorNames} selfId={actor.id} update={updateUserAction} />
      </section>
      <section>
        <h2 className="mb-3 text-base font-semibold text-stone-900">New user</h2>
        <CreateUserForm vendors={vendorNames} create={createUserAction} />
      </section>
      <section>
        <h2 className="text-base font-semibold text-stone-900">API tokens</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">
          Everyone&apos;s tokens, live first. Revoking one stops it at once; deactivating a user revokes all of theirs. Each person makes their own on
          their account page.
        </p>
        <TokenTable tokens={tokens} showOwner revoke={revokeApiTokenAction} />
      </section>
    </div>
  );
}
