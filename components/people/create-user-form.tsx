"use client";
// Creates a user with a role and a vendor. Without a typed password one is generated and shown here once,
// for the admin to hand over; Pairwise sends no email.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/action-result";
import { ROLES } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

const INPUT = "mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5 font-normal";
const LABEL = "text-sm font-medium text-stone-700";

type Created = { id: string; email: string; generatedPassword?: string };

export function CreateUserForm({ vendors, create }: { vendors: string[]; create: (input: unknown) => Promise<ActionResult<Created>> }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [copied, setCopied] = useState(false);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = {
      email: form.get("email"),
      name: String(form.get("name") ?? "").trim() || undefined,
      role: form.get("role"),
      vendor: form.get("vendor") || undefined,
      password: form.get("password") || undefined,
    };
    startTransition(async () => {
      setError(null);
      setCreated(null);
      setCopied(false);
      const result = await create(input);
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setCreated(result.value);
      formElement.reset();
    });
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        className="grid gap-4 rounded-lg border border-stone-200 bg-white p-5 sm:grid-cols-2 lg:grid-cols-3"
        data-testid="create-user-form"
      >
        <label className={LABEL}>
          Email
          <input name="email" type="email" required maxLength={320} autoComplete="off" className={INPUT} />
        </label>
        <label className={LABEL}>
          Display name
          <input name="name" maxLength={200} placeholder="from the email if empty" className={INPUT} />
        </label>
        <label className={LABEL}>
          Role
          <select name="role" defaultValue="annotator" className={INPUT}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Vendor
          <select name="vendor" defaultValue="" className={INPUT}>
            <option value="">No vendor</option>
            {vendors.map((vendor) => (
              <option key={vendor} value={vendor}>
                {vendor}
              </option>
            ))}
          </select>
        </label>
        <label className={`${LABEL} lg:col-span-2`}>
          Initial password
          <input
            name="password"
            type="password"
            minLength={8}
            maxLength={200}
            autoComplete="new-password"
            placeholder="leave empty to generate one"
            className={INPUT}
          />
        </label>
        <div className="flex items-center gap-3 sm:col-span-2 lg:col-span-3">
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </Button>
          {error && <Notice tone="error">{error}</Notice>}
        </div>
      </form>
      {created && (
        <div role="status" className="rounded-lg border border-teal-300 bg-teal-50 px-5 py-4 text-sm text-teal-950" data-testid="created-user">
          <p>
            Created <strong>{created.email}</strong>.
          </p>
          {created.generatedPassword ? (
            <>
              <p className="mt-2">Their password, shown this once (only its hash is kept). Hand it over in person or through a channel you trust:</p>
              <div className="mt-2 flex items-center gap-3">
                <code
                  className="rounded-md border border-teal-300 bg-white px-3 py-1.5 font-mono text-base tracking-wide"
                  data-testid="generated-password"
                >
                  {created.generatedPassword}
                </code>
                <Button
                  onClick={async () => {
                    await navigator.clipboard?.writeText(created.generatedPassword!).catch(() => undefined);
                    setCopied(true);
                  }}
                >
                  {copied ? "Copied" : "Copy"}
                </Button>
              </div>
            </>
          ) : (
            <p className="mt-1">They sign in with the password you typed.</p>
          )}
        </div>
      )}
    </div>
  );
}
