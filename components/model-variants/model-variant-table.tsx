"use client";
// Registered model variants: endpoint, key variable (and whether the server has it set, never its value),
// sampling settings; edit in place and test the connection.
import { DataTable, EmptyState, type Column } from "@/components/ui/table";
import { Fragment, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import type { ModelVariantView } from "@/server/model-variants/model-variant-view";
import type { ConnectionReport } from "@/server/model-variants/model-client";
import { Button } from "@/components/ui/button";
import { ModelVariantForm } from "./model-variant-form";

type Actions = {
  update: (id: string, input: unknown) => Promise<ActionResult<ModelVariantView>>;
  test: (id: string) => Promise<ActionResult<ConnectionReport>>;
};

function temperatures(v: ModelVariantView): string {
  if (v.temperatureMin !== null && v.temperatureMax !== null) return `${v.temperatureMin}–${v.temperatureMax}`;
  return v.defaultSampling.temperature !== undefined ? `${v.defaultSampling.temperature} (default)` : "endpoint default";
}

const VARIANT_COLUMNS: Column[] = [
  { label: "Variant" },
  { label: "Endpoint" },
  { label: "API key" },
  { label: "Temperature" },
  { label: "At once", align: "right" },
  { label: "Connection" },
  { label: <span className="sr-only">Actions</span> },
];

export function ModelVariantTable({ variants, actions }: { variants: ModelVariantView[]; actions: Actions }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  if (variants.length === 0) {
    return <EmptyState>No model variants yet. Register an OpenAI-compatible endpoint with the form above; batches then sample from it.</EmptyState>;
  }
  return (
    <DataTable columns={VARIANT_COLUMNS} testId="model-variant-table">
      {variants.map((v) => (
        <Fragment key={v.id}>
          <tr className="border-b border-stone-100 align-top" data-testid={`variant-${v.name}`}>
            <td className="px-3 py-2.5">
              <div className="font-medium text-stone-900">
                {v.name}
                {v.version && <span className="font-normal text-stone-600"> {v.version}</span>}
              </div>
              {!v.active && <span className="text-xs text-amber-700">switched off</span>}
            </td>
            <td className="px-3 py-2.5">
              {v.live ? (
                <>
                  <div className="font-mono text-xs text-stone-800">{v.modelId}</div>
                  <div className="font-mono text-xs text-stone-600">{v.baseUrl}</div>
                </>
              ) : (
                <span className="text-xs text-stone-600">none (named by imported responses)</span>
              )}
            </td>
            <td className="px-3 py-2.5 text-xs">
              {v.apiKeyEnv ? (
                <>
                  <code className="rounded bg-stone-100 px-1 text-stone-800">{v.apiKeyEnv}</code>{" "}
                  {v.apiKeySet ? <span className="text-teal-800">set</span> : <span className="text-red-700">not set on the server</span>}
                </>
              ) : (
                <span className="text-stone-600">no key</span>
              )}
            </td>
            <td className="px-3 py-2.5 tabular-nums text-stone-700">{temperatures(v)}</td>
            <td className="px-3 py-2.5 text-right tabular-nums text-stone-700">{v.maxConcurrency}</td>
            <td className="px-3 py-2.5">{v.live ? <ConnectionTest id={v.id} test={actions.test} /> : null}</td>
            <td className="px-3 py-2.5 text-right">
              <Button variant="quiet" onClick={() => setEditing(editing === v.id ? null : v.id)} aria-expanded={editing === v.id}>
                {editing === v.id ? "Close" : "Edit"}
              </Button>
            </td>
          </tr>
          {editing === v.id && (
            <tr className="border-b border-stone-100 bg-stone-50/60">
              <td colSpan={7} className="px-3 py-4">
                <ModelVariantForm
                  variant={v}
                  submit={(input) => actions.update(v.id, input)}
                  onDone={() => {
                    setEditing(null);
                    router.refresh();
                  }}
                  onCancel={() => setEditing(null)}
                />
              </td>
            </tr>
          )}
        </Fragment>
      ))}
    </DataTable>
  );
}

function ConnectionTest({ id, test }: { id: string; test: Actions["test"] }) {
  const [pending, startTransition] = useTransition();
  const [report, setReport] = useState<ConnectionReport | null>(null);
  return (
    <div className="flex flex-col items-start gap-1" data-testid={`connection-${id}`}>
      <Button
        onClick={() =>
          startTransition(async () => {
            const result = await test(id);
            setReport(result.ok ? result.value : { ok: false, error: result.error.message });
          })
        }
        disabled={pending}
      >
        {pending ? "Testing…" : "Test connection"}
      </Button>
      {report &&
        (report.ok ? (
          <span role="status" className="text-xs text-teal-800">
            OK · {report.latencyMs} ms · {report.model}
          </span>
        ) : (
          <span role="alert" className="max-w-xs break-words text-xs text-red-700">
            {report.error}
          </span>
        ))}
    </div>
  );
}
