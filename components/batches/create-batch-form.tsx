"use client";
// Creates a batch; errors from the server (zod, permissions) are shown next to the form.
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { PROTOCOL_SAFETY_LISTS, SafetyListsFields, type SafetyLists } from "./safety-lists-fields";

const INPUT = "mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5";

export function CreateBatchForm({ create }: { create: (input: unknown) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focus, setFocus] = useState("helpfulness");
  const [promptSource, setPromptSource] = useState("imported");
  const [lists, setLists] = useState<SafetyLists>(PROTOCOL_SAFETY_LISTS);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await create({
      name: form.get("name"),
      focus: form.get("focus"),
      overlap: Number(form.get("overlap")),
      guidelines: form.get("guidelines"),
      requireSafety: form.get("requireSafety") === "on",
      leaseSeconds: Math.round(Number(form.get("leaseMinutes")) * 60),
      promptSource,
      maxTurns: promptSource === "annotator_written" ? Number(form.get("maxTurns")) : 1,
      ...(focus === "safety" ? lists : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    router.push(`/admin/batches/${result.value.id}`);
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-4 rounded-lg border border-stone-200 bg-white p-5 sm:grid-cols-2">
      <label className="text-sm font-medium text-stone-700 sm:col-span-2">
        Name
        <input name="name" required maxLength={200} placeholder="2026-W48 helpfulness" className={INPUT} />
      </label>
      <label className="text-sm font-medium text-stone-700">
        Focus
        <select name="focus" value={focus} onChange={(e) => setFocus(e.target.value)} className={INPUT}>
          <option value="helpfulness">Helpfulness</option>
          <option value="safety">Safety</option>
        </select>
      </label>
      <label className="text-sm font-medium text-stone-700">
        Prompt source
        <select name="promptSource" value={promptSource} onChange={(e) => setPromptSource(e.target.value)} className={INPUT}>
          <option value="imported">Imported (prompts or comparisons from a file)</option>
          <option value="annotator_written">Annotators write prompts (sampled live)</option>
        </select>
      </label>
      <label className="text-sm font-medium text-stone-700">
        Judgements per comparison (overlap)
        <input name="overlap" type="number" min={1} max={10} defaultValue={1} className={INPUT} />
      </label>
      <label className="text-sm font-medium text-stone-700">
        Lease (minutes an annotator keeps a task)
        <input name="leaseMinutes" type="number" min={1} max={1440} step={1} defaultValue={15} className={INPUT} />
      </label>
      {promptSource === "annotator_written" && (
        <label className="text-sm font-medium text-stone-700">
          Max turns per dialogue
          <input name="maxTurns" type="number" min={1} max={20} defaultValue={4} className={INPUT} />
        </label>
      )}
      <label className="flex items-center gap-2 text-sm text-stone-700 sm:col-span-2">
        <input key={focus} name="requireSafety" type="checkbox" defaultChecked={focus === "safety"} />
        Require a safe/unsafe label on both responses
      </label>
      {focus === "safety" && (
        <div className="sm:col-span-2">
          <p className="mb-2 text-xs text-stone-600">
            What annotators tag adversarial prompts with. The protocol&apos;s lists are preselected; keep at least one of each.
          </p>
          <SafetyListsFields value={lists} onChange={setLists} />
        </div>
      )}
      <label className="text-sm font-medium text-stone-700 sm:col-span-2">
        Guidelines (markdown)
        <textarea name="guidelines" rows={6} className="mt-1 w-full rounded-md border border-stone-300 px-3 py-2 font-mono text-sm" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700 sm:col-span-2">
          {error}
        </p>
      )}
      <div className="sm:col-span-2">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Creating…" : "Create batch"}
        </Button>
      </div>
    </form>
  );
}
