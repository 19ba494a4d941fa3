"use client";
// Creates a vendor by name.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export function CreateVendorForm({ create }: { create: (input: unknown) => Promise<ActionResult<{ name: string }>> }) {
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    startTransition(async () => {
      const result = await create({ name });
      setNotice(result.ok ? { tone: "success", text: `Created ${result.value.name}.` } : { tone: "error", text: result.error.message });
      if (result.ok) formElement.reset();
    });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-5">
      <label className="text-sm font-medium text-stone-700">
        Vendor name
        <input name="name" required maxLength={200} className="mt-1 block w-72 rounded-md border border-stone-300 px-3 py-1.5 font-normal" />
      </label>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Creating…" : "Create vendor"}
      </Button>
      {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
    </form>
  );
}
