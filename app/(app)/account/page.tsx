import { currentUser } from "@/server/auth/current-user";
import { listApiTokens } from "@/server/auth/api-tokens";
import { changePasswordAction, createApiTokenAction, revokeApiTokenAction } from "@/server/account/actions";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { CreateTokenForm } from "@/components/account/create-token-form";
import { TokenTable } from "@/components/account/token-table";

export const dynamic = "force-dynamic";

// Every signed-in user's own page: their password and their API tokens.
export default async function AccountPage() {
  const actor = await currentUser();
  if (!actor) return null; // the layout sends signed-out visitors to sign in
  const tokens = await listApiTokens(actor);
  return (
    <div className="mx-auto max-w-4xl space-y-10 px-4 py-8 sm:px-6">
      <section>
        <h1 className="text-lg font-semibold text-stone-900">Your account</h1>
        <p className="mt-1 text-sm text-stone-600">
          {actor.email} · {actor.role}
        </p>
      </section>
      <section className="space-y-3">
        <h2 className="text-base font-semibold text-stone-900">API tokens</h2>
        <p className="text-sm text-stone-600">
          Scripts call the API with a token of yours and can do what you can. Give each script its own token and revoke it when it is no longer used.
        </p>
        <CreateTokenForm create={createApiTokenAction} />
        <TokenTable tokens={tokens} revoke={revokeApiTokenAction} />
      </section>
      <section className="space-y-3">
        <h2 className="text-base font-semibold text-stone-900">Password</h2>
        <ChangePasswordForm change={changePasswordAction} />
      </section>
    </div>
  );
}
