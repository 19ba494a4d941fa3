"use client";
// Registers or edits a model variant: its OpenAI-compatible endpoint, the NAME of the environment variable holding
// its key (never the key), default sampling and the temperature range generation draws from.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/action-result";
import type { ModelVariantView } from "@/server/model-variants/model-variant-view";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { plainWords } from "@/components/ui/plain-words";

/** The form's labels for the fields the server names in its messages. */
const LABELS: Record<string, string> = {
  name: "Name",
  version: "Version",
  baseUrl: "Base URL",
  modelId: "Model id",
  apiKeyEnv: "API key variable",
  temperatureMin: "Temperature from",
  temperatureMax: "Temperature to",
  "defaultSampling.temperature": "Default temperature",
  "defaultSampling.top_p": "Default top_p",
  "defaultSampling.max_tokens": "Max tokens",
  maxConcurrency: "Calls at once",
  timeoutMs: "Timeout",
};

const INPUT = "mt-1 w-full rounded-md border border-stone-300 px-3 py-1.5 font-normal";
const LABEL = "text-sm font-medium text-stone-700";

function numberOrNull(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? "").trim();
  return text === "" ? null : Number(text);
}

export function ModelVariantForm(props: {
  variant?: ModelVariantView;
  submit: (input: unknown) => Promise<ActionResult<ModelVariantView>>;
  onDone?: (variant: ModelVariantView) => void;
  onCancel?: () => void;
}) {
  const v = props.variant;
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const formElement = event.currentTarget;
    const defaultSampling: Record<string, number> = {};
    for (const key of ["temperature", "top_p", "max_tokens"] as const) {
      const value = numberOrNull(form.get(key));
      if (value !== null) defaultSampling[key] = value;
    }
    const input = {
      name: String(form.get("name") ?? ""),
      version: String(form.get("version") ?? ""),
      baseUrl: String(form.get("baseUrl") ?? ""),
      modelId: String(form.get("modelId") ?? ""),
      apiKeyEnv: String(form.get("apiKeyEnv") ?? "").trim() || null,
      defaultSampling,
      temperatureMin: numberOrNull(form.get("temperatureMin")),
      temperatureMax: numberOrNull(form.get("temperatureMax")),
      maxConcurrency: Number(form.get("maxConcurrency")),
      timeoutMs: Math.round(Number(form.get("timeoutSeconds")) * 1000),
      active: form.get("active") === "on",
    };
    startTransition(async () => {
      const result = await props.submit(input);
      if (!result.ok) {
        setNotice({ tone: "error", text: plainWords(result.error.message, LABELS) });
        return;
      }
      setNotice({
        tone: "success",
        text: v ? "Saved." : `Registered ${result.value.name}${result.value.version ? ` ${result.value.version}` : ""}.`,
      });
      if (!v) formElement.reset();
      props.onDone?.(result.value);
    });
  }

  const prefix = v ? `edit-${v.id}-` : "new-";
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid={v ? `variant-form-${v.id}` : "new-variant-form"}>
      <label className={LABEL}>
        Name
        <input name="name" required maxLength={200} defaultValue={v?.name} placeholder="llama-2-7b-chat" className={INPUT} />
      </label>
      <label className={LABEL}>
        Version
        <input name="version" maxLength={200} defaultValue={v?.version} placeholder="rlhf-v3" className={INPUT} />
      </label>
      <label className={`${LABEL} sm:col-span-2`}>
        Base URL (OpenAI-compatible)
        <input name="baseUrl" required type="url" defaultValue={v?.baseUrl ?? ""} placeholder="http://127.0.0.1:8000/v1" className={INPUT} />
      </label>
      <label className={`${LABEL} sm:col-span-2`}>
        Model id
        <input
          name="modelId"
          required
          maxLength={500}
          defaultValue={v?.modelId ?? ""}
          placeholder="meta-llama/Llama-2-7b-chat-hf"
          className={INPUT}
        />
      </label>
      <label className={`${LABEL} sm:col-span-2`}>
        API key variable (its name, not the key)
        <input
          name="apiKeyEnv"
          pattern="[A-Z_][A-Z0-9_]*"
          title="The NAME of an environment variable of the Pairwise server, e.g. VLLM_API_KEY"
          defaultValue={v?.apiKeyEnv ?? ""}
          placeholder="VLLM_API_KEY (empty: no key sent)"
          autoComplete="off"
          className={`${INPUT} font-mono`}
        />
      </label>
      <label className={LABEL}>
        Temperature from
        <input name="temperatureMin" type="number" min={0} max={2} step="any" defaultValue={v?.temperatureMin ?? ""} className={INPUT} />
      </label>
      <label className={LABEL}>
        Temperature to
        <input name="temperatureMax" type="number" min={0} max={2} step="any" defaultValue={v?.temperatureMax ?? ""} className={INPUT} />
      </label>
      <label className={LABEL}>
        Default temperature
        <input name="temperature" type="number" min={0} max={2} step="any" defaultValue={v?.defaultSampling.temperature ?? ""} className={INPUT} />
      </label>
      <label className={LABEL}>
        Default top_p
        <input name="top_p" type="number" min={0} max={1} step="any" defaultValue={v?.defaultSampling.top_p ?? ""} className={INPUT} />
      </label>
      <label className={LABEL}>
        Max tokens
        <input name="max_tokens" type="number" min={1} step={1} defaultValue={v?.defaultSampling.max_tokens ?? ""} className={INPUT} />
      </label>
      <label className={LABEL}>
        Calls at once
        <input name="maxConcurrency" type="number" min={1} max={256} step={1} required defaultValue={v?.maxConcurrency ?? 4} className={INPUT} />
      </label>
      <label className={LABEL}>
        Timeout (seconds)
        <input
          name="timeoutSeconds"
          type="number"
          min={0.1}
          max={3600}
          step="any"
          required
          defaultValue={(v?.timeoutMs ?? 60_000) / 1000}
          className={INPUT}
        />
      </label>
      <label className="flex items-center gap-2 self-end pb-2 text-sm text-stone-700" htmlFor={`${prefix}active`}>
        <input id={`${prefix}active`} name="active" type="checkbox" defaultChecked={v?.active ?? true} />
        In use (offered to batches)
      </label>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Saving…" : v ? "Save changes" : "Register model variant"}
        </Button>
        {props.onCancel && (
          <Button variant="quiet" onClick={props.onCancel} disabled={pending}>
            Cancel
          </Button>
        )}
        {notice && <Notice tone={notice.tone}>{notice.text}</Notice>}
      </div>
    </form>
  );
}
