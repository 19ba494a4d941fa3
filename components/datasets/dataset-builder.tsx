"use client";
// Choose what goes into a dataset: filters and format options, with live counts and the Table 6 preview,
// then download it or save it as a reproducible dataset.
import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { DEGREES, DEGREE_LABELS, SAFETY_BINS, SAFETY_BIN_LABELS, type Degree, type SafetyBin } from "@/lib/protocol";
import { EXPORT_FORMATS, IDS_BY_DEFAULT, type ExportFormat } from "@/lib/export-formats";
import type { ExportStats } from "@/lib/export-stats";
import { Button } from "@/components/ui/button";
import { EventStreamRefused, readEvents } from "@/components/ui/read-events";
import type { DatasetSaveEvent, SaveProgress } from "@/server/datasets/create-dataset";

type BatchOption = { id: string; name: string; focus: string; judgements: number };
type Preview = { judgements: number; filename: string; stats: ExportStats | null; limit: number; sample: { judgements: number } | null };

/** An estimate shown with three significant digits, so it does not claim a precision it lacks. */
function approx(n: number): string {
  if (n < 1000) return n.toLocaleString("en");
  const digits = Math.floor(Math.log10(n)) - 2;
  return (Math.round(n / 10 ** digits) * 10 ** digits).toLocaleString("en");
}

const FORMAT_HELP: Record<ExportFormat, string> = {
  canonical: "Lossless, one line per judgement",
  "trl-reward": "TRL RewardTrainer (implicit prompt, margin)",
  "trl-dpo": "TRL DPOTrainer (explicit prompt)",
  "openai-dpo": "OpenAI preference fine-tuning",
  "hh-rlhf": "Anthropic HH-RLHF transcripts",
  arena: "FastChat clean-battle file (a JSON array)",
  "arena-jsonl": "Chatbot Arena battles, one per line",
};

export function DatasetBuilder({ batches, vendors }: { batches: BatchOption[]; vendors: string[] }) {
  const router = useRouter();
  const [format, setFormat] = useState<ExportFormat>("trl-reward");
  const [selected, setSelected] = useState<string[]>([]);
  const [focus, setFocus] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [vendorFilter, setVendorFilter] = useState<string[]>([]);
  const [minDegree, setMinDegree] = useState("");
  const [bins, setBins] = useState<string[]>([]);
  const [split, setSplit] = useState("");
  const [margin, setMargin] = useState("small");
  const [aggregate, setAggregate] = useState("");
  const [includeUnsafeChosen, setIncludeUnsafeChosen] = useState(false);
  const [gzip, setGzip] = useState(false);
  // null: the format's default (row ids wherever the trainer ignores extra columns).
  const [idsChoice, setIdsChoice] = useState<boolean | null>(null);
  const ids = format === "canonical" ? true : (idsChoice ?? IDS_BY_DEFAULT[format]);
  const [dataFiles, setDataFiles] = useState("jsonl");
  const [testFraction, setTestFraction] = useState("0.05");
  const [salt, setSalt] = useState("pairwise");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [name, setName] = useState("");
  const [license, setLicense] = useState("other");
  const [saveState, setSaveState] = useState<{ kind: "idle" | "saving" | "saved" | "error"; text?: string }>({ kind: "idle" });
  const [saveProgress, setSaveProgress] = useState<SaveProgress | null>(null);

  const query = useMemo(() => {
    const params = new URLSearchParams();
    if (selected.length) params.set("batches", selected.join(","));
    if (focus) params.set("focus", focus);
    if (from) params.set("from", from);
    if (to) params.set("to", `${to}T23:59:59.999Z`);
    if (vendorFilter.length) params.set("vendors", vendorFilter.join(","));
    if (minDegree) params.set("minDegree", minDegree);
    if (bins.length) params.set("safetyBins", bins.join(","));
    if (format === "trl-reward") params.set("margin", margin);
    if (aggregate) params.set("aggregate", aggregate);
    if (includeUnsafeChosen) params.set("includeUnsafeChosen", "1");
    if (format !== "canonical") params.set("ids", ids ? "1" : "0");
    params.set("salt", salt);
    params.set("testFraction", testFraction);
    return params;
  }, [selected, focus, from, to, vendorFilter, minDegree, bins, format, margin, aggregate, includeUnsafeChosen, ids, salt, testFraction]);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const params = new URLSearchParams(query);
        params.set("format", format);
        if (split) params.set("split", split);
        const response = await fetch(`/api/v1/exports/preview?${params}`, { signal: controller.signal });
        const body = await response.json();
        if (!response.ok) {
          setPreview(null);
          setPreviewError(body.error?.message ?? `The server answered ${response.status}.`);
        } else {
          setPreview(body);
          setPreviewError(null);
        }
      } catch (error) {
        if ((error as Error).name !== "AbortError") setPreviewError("Could not reach the server.");
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, format, split]);

  const downloadHref = useMemo(() => {
    const params = new URLSearchParams(query);
    if (split) params.set("split", split);
    if (gzip) params.set("gzip", "1");
    return `/api/v1/exports/${format}?${params}`;
  }, [query, format, split, gzip]);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setSaveState({ kind: "saving" });
    const body = {
      name,
      license,
      dataFiles,
      format,
      filters: Object.fromEntries([...query.entries()].filter(([key]) => ["batches", "focus", "from", "to", "vendors", "minDegree", "safetyBins"].includes(key))),
      options: Object.fromEntries([...query.entries(), ...(gzip ? [["gzip", "1"]] : [])].filter(([key]) => ["margin", "aggregate", "includeUnsafeChosen", "ids", "salt", "testFraction", "gzip"].includes(key))),
    };
    setSaveProgress(null);
    // Progress arrives as events; the save goes on on the server even if this page is left.
    let outcome: { kind: "saved" | "error"; text: string } = { kind: "error", text: "The connection closed before the save finished; reload to see whether it was saved." };
    try {
      for await (const event of readEvents<DatasetSaveEvent>("/api/v1/datasets", { method: "POST", body })) {
        if (event.type === "progress") setSaveProgress({ phase: event.phase, done: event.done, total: event.total });
        else if (event.type === "saved") outcome = { kind: "saved", text: `Saved “${event.manifest.dataset.name}”: ${event.manifest.counts.rows.toLocaleString("en")} rows.` };
        else outcome = { kind: "error", text: event.error.message };
      }
    } catch (error) {
      outcome = { kind: "error", text: error instanceof EventStreamRefused ? error.message : "Could not reach the server. Check your connection, then save again." };
    }
    setSaveProgress(null);
    setSaveState(outcome);
    if (outcome.kind === "saved") {
      setName("");
      router.refresh();
    }
  }

  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const stats = preview?.stats;
  const estimated = preview?.sample != null;
  const count = (n: number) => (estimated ? approx(n) : n.toLocaleString("en"));

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-5 rounded-lg border border-stone-200 bg-white p-5">
        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">Format</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {EXPORT_FORMATS.map((f) => (
              <label key={f} className={`flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm ${format === f ? "border-teal-600 bg-teal-50" : "border-stone-200"}`}>
                <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} className="mt-1" />
                <span>
                  <span className="font-medium text-stone-900">{f}</span>
                  <span className="block text-xs text-stone-500">{FORMAT_HELP[f]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">Batches <span className="font-normal text-stone-500">(none ticked: all)</span></legend>
          <div className="max-h-48 space-y-1 overflow-y-auto">
            {batches.map((b) => (
              <label key={b.id} className="flex items-center gap-2 text-sm text-stone-700">
                <input type="checkbox" checked={selected.includes(b.id)} onChange={() => setSelected(toggle(selected, b.id))} />
                {b.name} <span className="text-xs text-stone-500">· {b.focus} · {b.judgements.toLocaleString("en")} judgements</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-3">
          <label className="text-sm font-medium text-stone-700">
            Focus
            <select value={focus} onChange={(e) => setFocus(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5">
              <option value="">From the batches</option>
              <option value="helpfulness">Helpfulness</option>
              <option value="safety">Safety</option>
            </select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            From
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            Minimum degree
            <select value={minDegree} onChange={(e) => setMinDegree(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5">
              <option value="">Format default</option>
              {DEGREES.map((d) => (
                <option key={d} value={d}>{DEGREE_LABELS[d]}</option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            Several judgements
            <select value={aggregate} onChange={(e) => setAggregate(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5">
              <option value="">Format default</option>
              <option value="all">Every judgement</option>
              <option value="majority">Majority</option>
              <option value="unanimous">Unanimous only</option>
            </select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            Split
            <select value={split} onChange={(e) => setSplit(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5">
              <option value="">Train and test</option>
              <option value="train">Train only</option>
              <option value="test">Test only</option>
            </select>
          </label>
          {format === "trl-reward" && (
            <label className="text-sm font-medium text-stone-700">
              Margin (Table 27)
              <select value={margin} onChange={(e) => setMargin(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5">
                <option value="none">None</option>
                <option value="small">Small</option>
                <option value="large">Large</option>
              </select>
            </label>
          )}
          <label className="text-sm font-medium text-stone-700">
            Test fraction
            <input value={testFraction} onChange={(e) => setTestFraction(e.target.value)} inputMode="decimal" className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            Split salt
            <input value={salt} onChange={(e) => setSalt(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1" />
          </label>
        </div>

        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">Safety bins <span className="font-normal text-stone-500">(none ticked: all)</span></legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {SAFETY_BINS.map((bin) => (
              <label key={bin} className="flex items-center gap-2 text-sm text-stone-700">
                <input type="checkbox" checked={bins.includes(bin)} onChange={() => setBins(toggle(bins, bin))} />
                {SAFETY_BIN_LABELS[bin]}
              </label>
            ))}
          </div>
          <label className="mt-2 flex items-center gap-2 text-sm text-stone-700">
            <input type="checkbox" checked={includeUnsafeChosen} onChange={(e) => setIncludeUnsafeChosen(e.target.checked)} />
            Keep safety judgements that chose an unsafe response over a safe one (left out by default)
          </label>
          {format !== "canonical" && (
            <label className="mt-2 flex items-center gap-2 text-sm text-stone-700">
              <input type="checkbox" checked={ids} onChange={(e) => setIdsChoice(e.target.checked)} data-testid="row-ids" />
              Row ids: each row&apos;s comparison and judgement ids{IDS_BY_DEFAULT[format] ? "" : " (off by default: this format must match its tool exactly)"}
            </label>
          )}
        </fieldset>

        {vendors.length > 0 && (
          <fieldset>
            <legend className="mb-2 text-sm font-semibold text-stone-800">Vendors <span className="font-normal text-stone-500">(none ticked: all)</span></legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {vendors.map((v) => (
                <label key={v} className="flex items-center gap-2 text-sm text-stone-700">
                  <input type="checkbox" checked={vendorFilter.includes(v)} onChange={() => setVendorFilter(toggle(vendorFilter, v))} />
                  {v}
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </div>

      <aside className="space-y-4">
        <div className="rounded-lg border border-stone-200 bg-white p-5" aria-live="polite" data-testid="preview">
          <h2 className="text-sm font-semibold text-stone-800">What it holds {loading && <span className="font-normal text-stone-400">· updating…</span>}</h2>
          {previewError ? (
            <p role="alert" className="mt-2 text-sm text-red-700">{previewError}</p>
          ) : !preview ? (
            <p className="mt-2 text-sm text-stone-500">Counting…</p>
          ) : stats ? (
            <>
              <p className="mt-2 text-2xl font-semibold tabular-nums text-stone-900" data-testid="preview-rows">{estimated && "≈ "}{count(stats.rows)} rows</p>
              <p className="text-xs text-stone-500">from {preview.judgements.toLocaleString("en")} judgements · {count(stats.perSplit.train)} train / {count(stats.perSplit.test)} test</p>
              {preview.sample && (
                <p className="mt-1 text-xs text-amber-800" data-testid="preview-estimate">
                  Estimated from a sample of whole dialogues ({preview.sample.judgements.toLocaleString("en")} of {preview.judgements.toLocaleString("en")} judgements). Saving gives the exact figures.
                </p>
              )}
              <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-3 gap-y-0.5 text-sm">
                {DEGREES.map((d) => (
                  <div key={d} className="contents"><dt className="text-stone-600">{DEGREE_LABELS[d]}</dt><dd className="text-right tabular-nums">{count(stats.perDegree[d])}</dd></div>
                ))}
              </dl>
              <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-3 gap-y-0.5 text-sm">
                {([...SAFETY_BINS, "none"] as const).map((b) => [b, stats.perSafetyBin[b]] as const).filter(([, n]) => n > 0).map(([b, n]) => (
                  <div key={b} className="contents"><dt className="text-stone-600">{b === "none" ? "No safety labels" : SAFETY_BIN_LABELS[b]}</dt><dd className="text-right tabular-nums">{count(n)}</dd></div>
                ))}
              </dl>
              {stats.table6 && (
                <table className="mt-4 w-full text-sm" data-testid="table6">
                  <caption className="mb-1 text-left text-xs font-medium uppercase tracking-wide text-stone-500">Table 6 statistics</caption>
                  <tbody className="tabular-nums">
                    <tr><td className="text-stone-600">Comparisons</td><td className="text-right">{count(stats.table6.comparisons)}</td></tr>
                    <tr><td className="text-stone-600">Avg. turns per dialogue</td><td className="text-right">{stats.table6.avgTurnsPerDialogue}</td></tr>
                    <tr><td className="text-stone-600">Avg. tokens per example</td><td className="text-right">{stats.table6.avgTokensPerExample}</td></tr>
                    <tr><td className="text-stone-600">Avg. tokens in prompt</td><td className="text-right">{stats.table6.avgTokensInPrompt}</td></tr>
                    <tr><td className="text-stone-600">Avg. tokens in response</td><td className="text-right">{stats.table6.avgTokensInResponse}</td></tr>
                  </tbody>
                </table>
              )}
            </>
          ) : (
            <p className="mt-2 text-sm text-stone-600">
              {preview.judgements.toLocaleString("en")} judgements, in too few dialogues to sample: the counts and statistics come with the saved dataset&apos;s manifest.
            </p>
          )}
          <div className="mt-4 flex items-center gap-3">
            <a href={downloadHref} download className="rounded-md bg-stone-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-stone-700" data-testid="download-export">
              Download {format}
            </a>
            <label className="flex items-center gap-1.5 text-sm text-stone-600">
              <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} /> gzip
            </label>
          </div>
        </div>

        <form onSubmit={save} className="space-y-3 rounded-lg border border-stone-200 bg-white p-5">
          <h2 className="text-sm font-semibold text-stone-800">Save as a dataset</h2>
          <p className="text-xs text-stone-500">Keeps these filters and a cutoff: it downloads to the same bytes next month, with a manifest and a Hugging Face bundle.</p>
          <label className="block text-sm font-medium text-stone-700">
            Name
            <input required value={name} onChange={(e) => setName(e.target.value)} placeholder="helpful-rm-2026-11" className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5" />
          </label>
          <label className="block text-sm font-medium text-stone-700">
            Licence (dataset card)
            <input value={license} onChange={(e) => setLicense(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5" />
          </label>
          <label className="block text-sm font-medium text-stone-700">
            Bundle data files
            <select value={dataFiles} onChange={(e) => setDataFiles(e.target.value)} className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1.5" data-testid="data-files">
              <option value="jsonl">JSON Lines</option>
              <option value="parquet">Parquet</option>
              <option value="both">Parquet and JSON Lines</option>
            </select>
          </label>
          <Button type="submit" variant="primary" disabled={saveState.kind === "saving" || !name.trim()}>
            {saveState.kind === "saving" ? "Saving…" : "Save dataset"}
          </Button>
          {saveState.kind === "saving" && <SaveProgressBar progress={saveProgress} />}
          {saveState.text && (
            <p role={saveState.kind === "error" ? "alert" : "status"} className={`text-sm ${saveState.kind === "error" ? "text-red-700" : "text-teal-800"}`} data-testid="save-result">
              {saveState.text}
            </p>
          )}
        </form>
      </aside>
    </div>
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
