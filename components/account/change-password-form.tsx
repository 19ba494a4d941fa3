"use client";
// Changes the signed-in user's password: the current one first. Every session of theirs ends, this one too.
import { useState, useTransition } from "react";
import { signOut } from "next-auth/react";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

const INPUT = "mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5 font-normal";
const LABEL = "block text-sm font-medium text-stone-700";

export function ChangePasswordForm({ change }: { change: (input: unknown) => Promise<ActionResult<{ changed: true }>> }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("repeatPassword") ?? "")) {
      setError("The two new passwords differ.");
      return;
    }
    startTransition(async () => {
      setError(null);
      const result = await change({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setDone(true);
      // Every session ended on the server: sign in again with the new password.
      setTimeout(() => void signOut({ callbackUrl: "/sign-in" }), 1500);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-stone-200 bg-white p-5" data-testid="change-password-form">
      <label className={LABEL}>
        Current password
        <input name="currentPassword" type="password" required autoComplete="current-password" className={INPUT} />
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className={LABEL}>
          New password
          <input name="newPassword" type="password" required minLength={8} maxLength={200} autoComplete="new-password" className={INPUT} />
        </label>
        <label className={LABEL}>
          New password again
          <input name="repeatPassword" type="password" required minLength={8} maxLength={200} autoComplete="new-password" className={INPUT} />
        </label>
      </div>
      <p className="text-xs text-stone-600">At least 8 characters. Changing it signs you out everywhere, here too.</p>
      {error && <Notice tone="error">{error}</Notice>}
      {done && <Notice tone="success">Password changed. Every session of yours has ended; sign in again with the new password.</Notice>}
      <Button type="submit" variant="primary" disabled={pending || done}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
