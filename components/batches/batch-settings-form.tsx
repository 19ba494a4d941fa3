"use client";
// A batch's name and, for safety batches, the risk categories and attack vectors annotators pick from.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { SafetyListsFields, type SafetyLists } from "./safety-lists-fields";

export function BatchSettingsForm(props: {
  batchId: string;
  name: string;
  focus: "helpfulness" | "safety";
  lists: SafetyLists;
  readOnly: boolean;
  save: (batchId: string, input: unknown) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [name, setName] = useState(props.name);
  const [lists, setLists] = useState<SafetyLists>(props.lists);
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const safety = props.focus === "safety";

  function save(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await props.save(props.batchId, { name, ...(safety ? lists : {}) });
      setNotice(result.ok ? { tone: "success", text: "Settings saved." } : { tone: "error", text: result.error.message });
      if (result.ok) router.refresh();
    });
  }

  return (
    <form onSubmit={save} className="space-y-4 rounded-lg border border-stone-200 bg-white p-4" data-testid="batch-settings">
      <label className="block max-w-md text-sm font-medium text-stone-700">
        Batch name
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          readOnly={props.readOnly}
          required
          maxLength={200}
          className="mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5 font-normal"
        />
      </label>
      {safety && (
        <div>
          <p className="mb-2 text-xs text-stone-600">
            The lists annotators pick from when they tag an adversarial prompt (the protocol&apos;s by default).
          </p>
          <SafetyListsFields value={lists} onChange={setLists} disabled={props.readOnly} />
        </div>
      )}
      {!props.readOnly && (
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending || (safety && (lists.riskCategories.length === 0 || lists.attackVectors.length === 0))}>
            {pending ? "Saving…" : "Save settings"}
          </Button>
          {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
        </div>
      )}
    </form>
  );
}
