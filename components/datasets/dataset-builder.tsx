"use client";
// Choose what goes into a dataset: filters and format options, with live counts and the Table 6 preview,
// then download it or save it as a reproducible dataset.
import { useEffect, useMemo, useState } from "react";
import { DEGREES, DEGREE_LABELS, SAFETY_BINS, SAFETY_BIN_LABELS } from "@/lib/protocol";
import { EXPORT_FORMATS, IDS_BY_DEFAULT, type ExportFormat } from "@/lib/export-formats";
import { Select, TextInput } from "@/components/ui/field";
import { plainError, sharedFocus, type BatchOption } from "./dataset-words";
import { DatasetPreview, type Preview } from "./dataset-preview";
import { SaveDatasetForm } from "./save-dataset-form";

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
  const [format, setFormat] = useState<ExportFormat>("trl-reward");
  const [selected, setSelected] = useState<string[]>([]);
  // The focus follows the batches while they share one; when they mix, the page asks for it (helpfulness and
  // safety data never share a file). It opens on a valid selection: the first focus with judgements.
  const [focusChoice, setFocusChoice] = useState<string>(() =>
    sharedFocus(batches, []) ? "" : (batches.find((b) => b.judgements > 0)?.focus ?? ""),
  );
  const followed = sharedFocus(batches, selected);
  const focus = focusChoice;
  const setFocus = setFocusChoice;
  const focusMissing =
    !focus && followed === null && (selected.length > 1 || (selected.length === 0 && batches.filter((b) => b.judgements > 0).length > 1));
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
  const [testFraction, setTestFraction] = useState("0.05");
  const [salt, setSalt] = useState("pairwise");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

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
          setPreviewError(plainError(body, response.status));
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

  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-5 rounded-lg border border-stone-200 bg-white p-5">
        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">Format</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {EXPORT_FORMATS.map((f) => (
              <label
                key={f}
                className={`flex cursor-pointer items-start gap-2 rounded-md border px-3 py-2 text-sm ${format === f ? "border-teal-600 bg-teal-50" : "border-stone-200"}`}
              >
                <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} className="mt-1" />
                <span>
                  <span className="font-medium text-stone-900">{f}</span>
                  <span className="block text-xs text-stone-600">{FORMAT_HELP[f]}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">
            Batches <span className="font-normal text-stone-600">(none ticked: all)</span>
          </legend>
          <div className="max-h-48 space-y-1 overflow-y-auto">
            {batches.map((b) => (
              <label key={b.id} className="flex items-center gap-2 text-sm text-stone-700">
                <input type="checkbox" checked={selected.includes(b.id)} onChange={() => setSelected(toggle(selected, b.id))} />
                {b.name}{" "}
                <span className="text-xs text-stone-600">
                  · {b.focus} · {b.judgements.toLocaleString("en")} judgements
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="grid gap-4 sm:grid-cols-3">
          <label className="text-sm font-medium text-stone-700">
            Focus
            {focusMissing && (
              <span className="block text-xs font-normal text-red-700" data-testid="focus-needed">
                The ticked batches mix helpfulness and safety: choose which one this dataset is for.
              </span>
            )}
            <Select value={focus} onChange={(e) => setFocus(e.target.value)} className="mt-1">
              <option value="">{followed ? `As the batches: ${followed}` : "Choose one"}</option>
              <option value="helpfulness">Helpfulness</option>
              <option value="safety">Safety</option>
            </Select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            From
            <TextInput type="date" value={from} onChange={(e) => setFrom(e.target.value)} className="mt-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            To
            <TextInput type="date" value={to} onChange={(e) => setTo(e.target.value)} className="mt-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            Minimum degree
            <Select value={minDegree} onChange={(e) => setMinDegree(e.target.value)} className="mt-1">
              <option value="">Format default</option>
              {DEGREES.map((d) => (
                <option key={d} value={d}>
                  {DEGREE_LABELS[d]}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            Several judgements
            <Select value={aggregate} onChange={(e) => setAggregate(e.target.value)} className="mt-1">
              <option value="">Format default</option>
              <option value="all">Every judgement</option>
              <option value="majority">Majority</option>
              <option value="unanimous">Unanimous only</option>
            </Select>
          </label>
          <label className="text-sm font-medium text-stone-700">
            Split
            <Select value={split} onChange={(e) => setSplit(e.target.value)} className="mt-1">
              <option value="">Train and test</option>
              <option value="train">Train only</option>
              <option value="test">Test only</option>
            </Select>
          </label>
          {format === "trl-reward" && (
            <label className="text-sm font-medium text-stone-700">
              Margin (Table 27)
              <Select value={margin} onChange={(e) => setMargin(e.target.value)} className="mt-1">
                <option value="none">None</option>
                <option value="small">Small</option>
                <option value="large">Large</option>
              </Select>
            </label>
          )}
          <label className="text-sm font-medium text-stone-700">
            Test fraction
            <TextInput value={testFraction} onChange={(e) => setTestFraction(e.target.value)} inputMode="decimal" className="mt-1" />
          </label>
          <label className="text-sm font-medium text-stone-700">
            Split salt
            <TextInput value={salt} onChange={(e) => setSalt(e.target.value)} className="mt-1" />
          </label>
        </div>

        <fieldset>
          <legend className="mb-2 text-sm font-semibold text-stone-800">
            Safety bins <span className="font-normal text-stone-600">(none ticked: all)</span>
          </legend>
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
              Row ids: each row&apos;s comparison and judgement ids
              {IDS_BY_DEFAULT[format] ? "" : " (off by default: this format must match its tool exactly)"}
            </label>
          )}
        </fieldset>

        {vendors.length > 0 && (
          <fieldset>
            <legend className="mb-2 text-sm font-semibold text-stone-800">
              Vendors <span className="font-normal text-stone-600">(none ticked: all)</span>
            </legend>
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
        <DatasetPreview
          preview={preview}
          previewError={previewError}
          loading={loading}
          format={format}
          downloadHref={downloadHref}
          gzip={gzip}
          onGzip={setGzip}
          focusMissing={focusMissing}
        />
        <SaveDatasetForm format={format} query={query} gzip={gzip} />
      </aside>
    </div>
  );
}
