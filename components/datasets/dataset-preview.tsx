"use client";
// What the selection holds, live: rows, the split, degrees and safety bins, the Table 6 statistics (exact, or
// estimated from a sample of whole dialogues above a size), and the download, disabled with its reason while the
// selection cannot be exported.
import { DEGREES, DEGREE_LABELS, SAFETY_BINS, SAFETY_BIN_LABELS } from "@/lib/protocol";
import type { ExportFormat } from "@/lib/export-formats";
import type { ExportStats } from "@/lib/export-stats";
import { Button } from "@/components/ui/button";
import { approx } from "./dataset-words";

export type Preview = { judgements: number; filename: string; stats: ExportStats | null; limit: number; sample: { judgements: number } | null };

export function DatasetPreview(props: {
  preview: Preview | null;
  previewError: string | null;
  loading: boolean;
  format: ExportFormat;
  downloadHref: string;
  gzip: boolean;
  onGzip: (gzip: boolean) => void;
  focusMissing: boolean;
}) {
  const { preview, previewError, loading, format, downloadHref, gzip, focusMissing } = props;
  const stats = preview?.stats;
  const estimated = preview?.sample != null;
  const count = (n: number) => (estimated ? approx(n) : n.toLocaleString("en"));
  return (
    <div className="rounded-lg border border-stone-200 bg-white p-5" aria-live="polite" data-testid="preview">
      <h2 className="text-sm font-semibold text-stone-800">
        What it holds {loading && <span className="font-normal text-stone-600">· updating…</span>}
      </h2>
      {previewError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {previewError}
        </p>
      ) : !preview ? (
        <p className="mt-2 text-sm text-stone-600">Counting…</p>
      ) : stats ? (
        <>
          <p className="mt-2 text-2xl font-semibold tabular-nums text-stone-900" data-testid="preview-rows">
            {estimated && "≈ "}
            {count(stats.rows)} rows
          </p>
          <p className="text-xs text-stone-600">
            from {preview.judgements.toLocaleString("en")} judgements · {count(stats.perSplit.train)} train / {count(stats.perSplit.test)} test
          </p>
          {preview.sample && (
            <p className="mt-1 text-xs text-amber-800" data-testid="preview-estimate">
              Estimated from a sample of whole dialogues ({preview.sample.judgements.toLocaleString("en")} of{" "}
              {preview.judgements.toLocaleString("en")} judgements). Saving gives the exact figures.
            </p>
          )}
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-3 gap-y-0.5 text-sm">
            {DEGREES.map((d) => (
              <div key={d} className="contents">
                <dt className="text-stone-600">{DEGREE_LABELS[d]}</dt>
                <dd className="text-right tabular-nums">{count(stats.perDegree[d])}</dd>
              </div>
            ))}
          </dl>
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-3 gap-y-0.5 text-sm">
            {([...SAFETY_BINS, "none"] as const)
              .map((b) => [b, stats.perSafetyBin[b]] as const)
              .filter(([, n]) => n > 0)
              .map(([b, n]) => (
                <div key={b} className="contents">
                  <dt className="text-stone-600">{b === "none" ? "No safety labels" : SAFETY_BIN_LABELS[b]}</dt>
                  <dd className="text-right tabular-nums">{count(n)}</dd>
                </div>
              ))}
          </dl>
          {stats.table6 && (
            <table className="mt-4 w-full text-sm" data-testid="table6">
              <caption className="mb-1 text-left text-xs font-medium uppercase tracking-wide text-stone-600">Table 6 statistics</caption>
              <tbody className="tabular-nums">
                <tr>
                  <td className="text-stone-600">Comparisons</td>
                  <td className="text-right">{count(stats.table6.comparisons)}</td>
                </tr>
                <tr>
                  <td className="text-stone-600">Avg. turns per dialogue</td>
                  <td className="text-right">{stats.table6.avgTurnsPerDialogue}</td>
                </tr>
                <tr>
                  <td className="text-stone-600">Avg. tokens per example</td>
                  <td className="text-right">{stats.table6.avgTokensPerExample}</td>
                </tr>
                <tr>
                  <td className="text-stone-600">Avg. tokens in prompt</td>
                  <td className="text-right">{stats.table6.avgTokensInPrompt}</td>
                </tr>
                <tr>
                  <td className="text-stone-600">Avg. tokens in response</td>
                  <td className="text-right">{stats.table6.avgTokensInResponse}</td>
                </tr>
              </tbody>
            </table>
          )}
        </>
      ) : (
        <p className="mt-2 text-sm text-stone-600">
          {preview.judgements.toLocaleString("en")} judgements, in too few dialogues to sample: the counts and statistics come with the saved
          dataset&apos;s manifest.
        </p>
      )}
      <div className="mt-4 flex items-center gap-3">
        {previewError || focusMissing || !preview ? (
          <span className="flex flex-col">
            <Button variant="primary" disabled data-testid="download-export">
              Download {format}
            </Button>
            <span className="mt-1 text-xs text-stone-700" data-testid="download-reason">
              {focusMissing ? "Choose a focus first." : previewError ? "Fix the selection first (see above)." : "Counting…"}
            </span>
          </span>
        ) : (
          <a
            href={downloadHref}
            download
            className="rounded-md bg-stone-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-stone-700"
            data-testid="download-export"
          >
            Download {format}
          </a>
        )}
        <label className="flex items-center gap-1.5 text-sm text-stone-600">
          <input type="checkbox" checked={gzip} onChange={(e) => props.onGzip(e.target.checked)} /> gzip
        </label>
      </div>
    </div>
  );
}
