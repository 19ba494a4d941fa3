"use client";
// Creates an API token for the signed-in user: named for what it is for, shown here once to copy.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

const INPUT = "mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5 font-normal";

export function CreateTokenForm({ create }: { create: (input: unknown) => Promise<ActionResult<{ token: string; name: string }>> }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    startTransition(async () => {
      setError(null);
      setCreated(null);
      setCopied(false);
      const result = await create({ name });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setCreated(result.value);
      formElement.reset();
    });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-end" data-testid="create-token-form">
        <label className="block flex-1 text-sm font-medium text-stone-700">
          New token for
          <input name="name" required maxLength={100} placeholder="e.g. nightly export script" className={INPUT} />
        </label>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {error && <Notice tone="error">{error}</Notice>}
      {created && (
        <div className="rounded-lg border border-teal-300 bg-teal-50 p-4 text-sm text-teal-950" role="status" data-testid="created-token">
          <p className="font-medium">Token “{created.name}” created. Copy it now: it is shown this once.</p>
          <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="block flex-1 break-all rounded border border-teal-200 bg-white px-2 py-1 font-mono text-xs">{created.token}</code>
            <Button
              onClick={() => {
                void navigator.clipboard?.writeText(created.token).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="mt-2 text-xs text-teal-900">
            Send it as <code>Authorization: Bearer …</code> to /api/v1 (see /api/docs).
          </p>
        </div>
      )}
    </div>
  );
}
