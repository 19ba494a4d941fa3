"use client";
// Uploads a JSONL (or CSV for prompts-csv) file to the import API with a progress bar; lists every invalid line.
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";

type Report = {
  imported: number;
  lines: number;
  errors: { line: number; message: string }[];
  errorCount: number;
  skipped: { line: number; reason: string }[];
  skippedCount: number;
  error?: { code: string; message: string };
};

type State =
  | { kind: "idle" }
  | { kind: "uploading"; percent: number }
  | { kind: "processing" }
  | { kind: "done"; report: Report }
  | { kind: "failed"; message: string; report?: Report };

const FORMATS = [
  { value: "pairwise", label: "pairwise (prompt + two responses)" },
  { value: "hh-rlhf", label: "hh-rlhf (chosen / rejected transcripts)" },
  { value: "prompts", label: "prompts (JSONL; responses generated here)" },
  { value: "prompts-csv", label: "prompts-csv (CSV with a prompt column)" },
] as const;

export function ImportForm({ batchId, defaultFormat = "pairwise" }: { batchId: string; defaultFormat?: (typeof FORMATS)[number]["value"] }) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState<string>(defaultFormat);
  const [state, setState] = useState<State>({ kind: "idle" });

  function upload(event: React.FormEvent) {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setState({ kind: "failed", message: `Choose a ${format === "prompts-csv" ? ".csv" : ".jsonl"} file first.` });
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", `/api/v1/batches/${batchId}/items?format=${format}`);
    request.setRequestHeader("content-type", format === "prompts-csv" ? "text/csv" : "application/x-ndjson");
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) setState({ kind: "uploading", percent: Math.round((e.loaded / e.total) * 100) });
    };
    request.upload.onload = () => setState({ kind: "processing" });
    request.onerror = () => setState({ kind: "failed", message: "The upload did not reach the server. Nothing was imported." });
    request.onload = () => {
      let body: Report | undefined;
      try {
        body = JSON.parse(request.responseText) as Report;
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300 && body) {
        setState({ kind: "done", report: body });
        router.refresh();
      } else {
        setState({ kind: "failed", message: body?.error?.message ?? `The server answered ${request.status}.`, report: body });
      }
    };
    setState({ kind: "uploading", percent: 0 });
    request.send(file);
  }

  const busy = state.kind === "uploading" || state.kind === "processing";
  return (
    <form onSubmit={upload} className="space-y-3 rounded-lg border border-stone-200 bg-white p-5" data-testid="import-form">
      <div className="flex flex-wrap items-end gap-4">
        <label className="text-sm font-medium text-stone-700">
          File ({format === "prompts-csv" ? "CSV" : "JSONL"})
          <input
            ref={fileRef}
            name="file"
            type="file"
            accept={format === "prompts-csv" ? ".csv,text/csv" : ".jsonl,.ndjson,.json,application/x-ndjson"}
            className="mt-1 block text-sm"
          />
        </label>
        <label className="text-sm font-medium text-stone-700">
          Format
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value)}
            className="mt-1 block rounded-md border border-stone-300 px-2 py-1.5 text-sm"
          >
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={busy}>
          Import
        </Button>
      </div>
      {state.kind === "uploading" && (
        <div aria-live="polite" className="text-sm text-stone-600">
          Uploading… {state.percent}%
          <div className="mt-1 h-1.5 w-full overflow-hidden rounded-full bg-stone-100">
            <div className="h-full bg-teal-600 transition-all" style={{ width: `${state.percent}%` }} />
          </div>
        </div>
      )}
      {state.kind === "processing" && <p className="text-sm text-stone-600">Validating and importing every line…</p>}
      {state.kind === "done" && (
        <p className="text-sm text-teal-800" role="status" data-testid="import-result">
          Imported {state.report.imported.toLocaleString("en")} {format.startsWith("prompts") ? "prompt" : "comparison"}
          {state.report.imported === 1 ? "" : "s"} from {state.report.lines.toLocaleString("en")} lines.
          {state.report.skippedCount > 0 && ` Skipped ${state.report.skippedCount.toLocaleString("en")} (duplicates or identical responses).`}
        </p>
      )}
      {state.kind === "failed" && (
        <div role="alert" className="text-sm text-red-700" data-testid="import-error">
          <p>{state.message}</p>
          {state.report?.errors && state.report.errors.length > 0 && (
            <ul className="mt-2 max-h-64 list-disc overflow-y-auto pl-5 font-mono text-xs">
              {state.report.errors.map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.message}
                </li>
              ))}
              {state.report.errorCount > state.report.errors.length && <li>…and {state.report.errorCount - state.report.errors.length} more</li>}
            </ul>
          )}
        </div>
      )}
      {(state.kind === "done" || state.kind === "failed") && state.report && state.report.skipped.length > 0 && (
        <details className="text-xs text-stone-600">
          <summary className="cursor-pointer">Skipped lines</summary>
          <ul className="mt-1 max-h-48 list-disc overflow-y-auto pl-5 font-mono">
            {state.report.skipped.map((s) => (
              <li key={s.line}>
                line {s.line}: {s.reason}
              </li>
            ))}
            {state.report.skippedCount > state.report.skipped.length && <li>…and {state.report.skippedCount - state.report.skipped.length} more</li>}
          </ul>
        </details>
      )}
    </form>
  );
}
