import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/current-user";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { getEnv } from "@/server/env";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  // Only paths of the app: never bounce a user to another origin after sign-in.
  const target = safeRedirectPath(callbackUrl, getEnv().appOrigin ?? "http://localhost");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-stone-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold tracking-tight text-stone-900">Sign in to Pairwise</h1>
        <p className="mb-6 mt-1 text-sm text-stone-600">Human preference data for reward models.</p>
        <SignInForm callbackUrl={target} />
      </div>
    </main>
  );
}
