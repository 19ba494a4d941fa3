"use client";
// Which model variants a batch samples from: two or more with an endpoint. Each prompt gets two different ones.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export type PickableVariant = { id: string; name: string; version: string; modelId: string | null; active: boolean; live: boolean };

export function ModelVariantPicker(props: {
  batchId: string;
  variants: PickableVariant[];
  selected: string[];
  readOnly: boolean;
  save: (batchId: string, input: unknown) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>(props.selected);
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  // Variants that only name a model (imported responses) cannot be sampled; they are not offered.
  const offered = props.variants.filter((v) => v.live || props.selected.includes(v.id));
  const changed = JSON.stringify([...chosen].sort()) !== JSON.stringify([...props.selected].sort());

  function save() {
    startTransition(async () => {
      const result = await props.save(props.batchId, { modelVariantIds: chosen });
      setNotice(result.ok ? { tone: "success", text: `Saved: ${chosen.length} model variants.` } : { tone: "error", text: result.error.message });
      if (result.ok) router.refresh();
    });
  }

  if (offered.length === 0) {
    return (
      <p className="text-sm text-stone-600">
        No model variant with an endpoint yet. Register some on the{" "}
        <a className="text-teal-800 underline" href="/admin/model-variants">
          Model variants
        </a>{" "}
        page.
      </p>
    );
  }
  return (
    <div className="space-y-3" data-testid="model-variant-picker">
      <fieldset disabled={props.readOnly || pending} className="grid gap-1.5 sm:grid-cols-2">
        <legend className="sr-only">Model variants of this batch</legend>
        {offered.map((variant) => {
          const label = variant.version ? `${variant.name} ${variant.version}` : variant.name;
          const usable = variant.live && variant.active;
          return (
            <label key={variant.id} className={`flex items-baseline gap-2 text-sm ${usable ? "text-stone-800" : "text-stone-600"}`}>
              <input
                type="checkbox"
                data-testid={`pick-variant-${variant.id}`}
                checked={chosen.includes(variant.id)}
                disabled={!usable && !chosen.includes(variant.id)}
                onChange={(event) => setChosen((list) => (event.target.checked ? [...list, variant.id] : list.filter((id) => id !== variant.id)))}
              />
              <span className="font-medium">{label}</span>
              <span className="truncate text-xs text-stone-600">
                {variant.modelId}
                {!variant.active && " · switched off"}
              </span>
            </label>
          );
        })}
      </fieldset>
      {!props.readOnly && (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={save} disabled={pending || !changed || chosen.length < 2} data-testid="save-model-variants">
            {pending ? "Saving…" : "Save model variants"}
          </Button>
          {chosen.length < 2 && <span className="text-xs text-stone-600">Pick at least two.</span>}
          {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
        </div>
      )}
    </div>
  );
}
