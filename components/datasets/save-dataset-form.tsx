"use client";
// Saving the selection as a dataset: a name, a licence for the card, the bundle's data files; progress while the
// server counts tokens and reads every judgement once, then the result, in the page's words.
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ExportFormat } from "@/lib/export-formats";
import { Button } from "@/components/ui/button";
import { Select, TextInput } from "@/components/ui/field";
import { EventStreamRefused, readEvents } from "@/components/ui/read-events";
import type { DatasetSaveEvent, SaveProgress } from "@/server/datasets/create-dataset";
import { pageWords } from "./dataset-words";

export function SaveDatasetForm({ format, query, gzip }: { format: ExportFormat; query: URLSearchParams; gzip: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [license, setLicense] = useState("other");
  const [dataFiles, setDataFiles] = useState("jsonl");
  const [saveState, setSaveState] = useState<{ kind: "idle" | "saving" | "saved" | "error"; text?: string }>({ kind: "idle" });
  const [saveProgress, setSaveProgress] = useState<SaveProgress | null>(null);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaveState({ kind: "saving" });
    const body = {
      name,
      license,
      dataFiles,
      format,
      filters: Object.fromEntries(
        [...query.entries()].filter(([key]) => ["batches", "focus", "from", "to", "vendors", "minDegree", "safetyBins"].includes(key)),
      ),
      options: Object.fromEntries(
        [...query.entries(), ...(gzip ? [["gzip", "1"]] : [])].filter(([key]) =>
          ["margin", "aggregate", "includeUnsafeChosen", "ids", "salt", "testFraction", "gzip"].includes(key),
        ),
      ),
    };
    setSaveProgress(null);
    // Progress arrives as events; the save goes on on the server even if this page is left.
    let outcome: { kind: "saved" | "error"; text: string } = {
      kind: "error",
      text: "The connection closed before the save finished; reload to see whether it was saved.",
    };
    try {
      for await (const event of readEvents<DatasetSaveEvent>("/api/v1/datasets", { method: "POST", body })) {
        if (event.type === "progress") setSaveProgress({ phase: event.phase, done: event.done, total: event.total });
        else if (event.type === "saved")
          outcome = { kind: "saved", text: `Saved “${event.manifest.dataset.name}”: ${event.manifest.counts.rows.toLocaleString("en")} rows.` };
        else outcome = { kind: "error", text: pageWords(event.error.message) };
      }
    } catch (error) {
      outcome = {
        kind: "error",
        text: error instanceof EventStreamRefused ? pageWords(error.message) : "Could not reach the server. Check your connection, then save again.",
      };
    }
    setSaveProgress(null);
    setSaveState(outcome);
    if (outcome.kind === "saved") {
      setName("");
      router.refresh();
    }
  }

  return (
    <form onSubmit={save} className="space-y-3 rounded-lg border border-stone-200 bg-white p-5">
      <h2 className="text-sm font-semibold text-stone-800">Save as a dataset</h2>
      <p className="text-xs text-stone-600">
        Keeps these filters and a cutoff: it downloads to the same bytes next month, with a manifest and a Hugging Face bundle.
      </p>
      <label className="block text-sm font-medium text-stone-700">
        Name
        <TextInput required value={name} onChange={(e) => setName(e.target.value)} placeholder="helpful-rm-2026-11" className="mt-1" />
      </label>
      <label className="block text-sm font-medium text-stone-700">
        Licence (dataset card)
        <TextInput value={license} onChange={(e) => setLicense(e.target.value)} className="mt-1" />
      </label>
      <label className="block text-sm font-medium text-stone-700">
        Bundle data files
        <Select value={dataFiles} onChange={(e) => setDataFiles(e.target.value)} className="mt-1" data-testid="data-files">
          <option value="jsonl">JSON Lines</option>
          <option value="parquet">Parquet</option>
          <option value="both">Parquet and JSON Lines</option>
        </Select>
      </label>
      <Button type="submit" variant="primary" disabled={saveState.kind === "saving" || !name.trim()}>
        {saveState.kind === "saving" ? "Saving…" : "Save dataset"}
      </Button>
      {saveState.kind === "saving" && <SaveProgressBar progress={saveProgress} />}
      {saveState.text && (
        <p
          role={saveState.kind === "error" ? "alert" : "status"}
          className={`text-sm ${saveState.kind === "error" ? "text-red-700" : "text-teal-800"}`}
          data-testid="save-result"
        >
          {saveState.text}
        </p>
      )}
    </form>
  );
}

const PHASE_LABELS: Record<SaveProgress["phase"], string> = {
  tokens: "Counting tokens (Llama 2 tokenizer) of comparisons never counted",
  rows: "Reading every judgement once: statistics and file hashes",
};

function SaveProgressBar({ progress }: { progress: SaveProgress | null }) {
  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  return (
    <div className="space-y-1" data-testid="save-progress">
      <div
        role="progressbar"
        aria-label="Saving the dataset"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-1.5 overflow-hidden rounded-full bg-stone-200"
      >
        <div className="h-full rounded-full bg-teal-700 transition-[width] duration-200" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-stone-600" aria-live="polite">
        {progress
          ? `${PHASE_LABELS[progress.phase]}: ${progress.done.toLocaleString("en")} of ${progress.total.toLocaleString("en")}`
          : "Checking the selection…"}
      </p>
    </div>
  );
}
