"use client";
// A comparison exactly as an annotator sees it (the same pieces as the comparison page), read-only, with the
// provenance that only admins see: which model variant wrote each response and how it was sampled.
import { useState } from "react";
import type { ComparisonPreview as Preview } from "@/server/batches/queries";
import type { Side } from "@/lib/protocol";
import { DialogueContext } from "@/components/judging/dialogue-context";
import { ResponseCard } from "@/components/judging/response-card";
import { ResponsePair, SIDE_NAME } from "@/components/judging/response-pair";
import { GuidelinesPanel } from "@/components/judging/guidelines-panel";
import { ATTACK_VECTOR_NAMES, RISK_CATEGORY_NAMES } from "./safety-taxonomy";

function describeSampling(sampling: Record<string, unknown>, latencyMs: number | null): string {
  const parts = ["temperature", "top_p", "max_tokens", "seed"]
    .filter((key) => sampling[key] !== undefined && sampling[key] !== null)
    .map((key) => `${key} ${String(sampling[key])}`);
  if (latencyMs !== null) parts.push(`${latencyMs} ms`);
  return parts.join(" · ");
}

export function ComparisonPreview({ preview }: { preview: Preview }) {
  const noop = () => undefined;
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const [raw, setRaw] = useState<Record<Side, boolean>>({ left: false, right: false });
  return (
    <div data-testid="comparison-preview">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600">
        <span className="font-medium text-stone-900">{preview.batch.name}</span>
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-600">{preview.batch.focus}</span>
        {(preview.riskCategory || preview.attackVector) && (
          <span className="text-xs">
            {preview.riskCategory ? RISK_CATEGORY_NAMES[preview.riskCategory] : "—"} ·{" "}
            {preview.attackVector ? ATTACK_VECTOR_NAMES[preview.attackVector] : "—"}
          </span>
        )}
        <span className="ml-auto text-xs text-stone-600">
          Turn {preview.turnIndex + 1} · {preview.judgements} judgement{preview.judgements === 1 ? "" : "s"}
        </span>
      </div>

      <GuidelinesPanel guidelines={preview.guidelines} open={guidelinesOpen} onOpenChange={setGuidelinesOpen} />

      <DialogueContext context={preview.context} prompt={preview.prompt} />

      {preview.responses.length < 2 ? (
        <p className="mt-4 rounded-lg border border-dashed border-amber-300 bg-amber-50 px-4 py-6 text-center text-sm text-amber-900">
          The responses of this prompt have not been generated yet.
        </p>
      ) : (
        <ResponsePair
          card={(side) => {
            const index = side === "left" ? 0 : 1;
            const response = preview.responses[index];
            return (
              <div className="flex flex-col gap-1.5">
                <ResponseCard
                  side={side}
                  name={SIDE_NAME[side]}
                  content={response.content}
                  chosen={false}
                  safety={undefined}
                  requireSafety={preview.batch.requireSafety}
                  raw={raw[side]}
                  onRaw={() => setRaw((r) => ({ ...r, [side]: !r[side] }))}
                  onChoose={noop}
                  onSafety={noop}
                  readOnly
                />
                <p className="px-1 text-xs text-stone-600" data-testid={`preview-model-${index}`}>
                  <span className="font-medium text-stone-800">
                    {response.model.name}
                    {response.model.version && ` ${response.model.version}`}
                  </span>
                  {describeSampling(response.sampling, response.latencyMs) && ` · ${describeSampling(response.sampling, response.latencyMs)}`}
                </p>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
