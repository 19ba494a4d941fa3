"use client";
// The insights charts, drawn with recharts from the figures server/insights/queries.ts summed in SQL. Colours are
// the palette's CSS variables, so the dark theme redraws them; each chart has its CSV and its empty state.
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DEGREE_LABELS, DEGREES, SAFETY_BIN_LABELS } from "@/lib/protocol";
import type { Insights } from "@/server/insights/queries";
import { ChartCard } from "./chart-card";

const AXIS = { fontSize: 12, fill: "var(--color-stone-600)" };
const GRID = "var(--color-stone-200)";
const TOOLTIP = {
  contentStyle: {
    background: "var(--color-white)",
    border: "1px solid var(--color-stone-200)",
    borderRadius: 6,
    fontSize: 12,
    color: "var(--color-stone-900)",
  },
  labelStyle: { color: "var(--color-stone-900)" },
  cursor: { fill: "var(--color-stone-100)" },
};
const DEGREE_COLOURS = ["var(--color-teal-800)", "var(--color-teal-600)", "var(--color-teal-300)", "var(--color-stone-400)"];
const PRIMARY = "var(--color-teal-600)";
const SECONDARY = "var(--color-stone-400)";
const ALERT = "var(--color-red-600)";
const THIRD = "var(--color-amber-700)";

const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const round = (x: number | null, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const short = (text: string, max = 18) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function Frame({ height = 260, children }: { height?: number; children: React.ReactElement }) {
  return (
    <div style={{ width: "100%", height }} data-testid="chart-frame">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export function InsightsCharts({ insights, stamp }: { insights: Insights; stamp: string }) {
  const name = (figure: string) => `insights-${figure}-${stamp}.csv`;

  const throughput = insights.throughput;

  // Degrees per batch, as shares of each batch's judgements (drift across batches shows as shifting bands).
  const batches = [...new Map(insights.degrees.map((d) => [d.batchId, d.batchName])).entries()];
  const degreeRows = batches.map(([batchId, batchName]) => {
    const row: Record<string, string | number> = { batch: short(batchName) };
    const total = insights.degrees.filter((d) => d.batchId === batchId).reduce((a, d) => a + d.judgements, 0);
    for (const degree of DEGREES) {
      const n = insights.degrees.find((d) => d.batchId === batchId && d.degree === degree)?.judgements ?? 0;
      row[degree] = total === 0 ? 0 : Math.round((n / total) * 1000) / 10;
    }
    return row;
  });

  const safetyTotal = insights.safetyBins.reduce((a, b) => a + b.judgements, 0);
  const safetyRows = insights.safetyBins.map((b) => ({ bin: SAFETY_BIN_LABELS[b.bin], observed: pct(b.share), paper: pct(b.paperShare) }));

  const biasRows = insights.annotators
    .filter((a) => a.judgements > 0)
    .slice(0, 40)
    .map((a) => ({ name: short(a.name, 14), left: pct(a.leftShare), flagged: a.flags.some((f) => f.kind === "position_bias") }));

  const agreementRows = insights.agreement.vendors.map((v) => ({
    vendor: short(v.name),
    raw: round(v.rawAgreement),
    nominal: round(v.alphaNominal),
    ordinal: round(v.alphaOrdinal),
  }));

  const board = insights.leaderboard;
  const boardRows = board.rows.map((r) => ({
    variant: short(board.names[r.variant] ?? r.variant, 22),
    score: round(r.score),
    interval: [round(r.score - r.low), round(r.high - r.score)],
  }));

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        id="throughput"
        title="Throughput"
        description="Judgements per day (UTC)."
        csv={{ filename: name("throughput"), header: ["day", "judgements"], rows: throughput.map((d) => [d.day, d.judgements]) }}
        empty={throughput.length === 0 ? "No judgements in this selection yet." : null}
      >
        <Frame>
          <BarChart data={throughput} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="day" tick={AXIS} stroke={GRID} />
            <YAxis allowDecimals={false} tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <Bar dataKey="judgements" name="Judgements" fill={PRIMARY} isAnimationActive={false} />
          </BarChart>
        </Frame>
      </ChartCard>

      <ChartCard
        id="degrees"
        title="Degree per batch"
        description="Share of each degree in a batch's judgements; Llama 2 saw “negligibly better / unsure” grow over time."
        csv={{
          filename: name("degrees"),
          header: ["batch_id", "batch", "degree", "judgements"],
          rows: insights.degrees.map((d) => [d.batchId, d.batchName, d.degree, d.judgements]),
        }}
        empty={degreeRows.length === 0 ? "No judgements in this selection yet." : null}
      >
        <Frame>
          <BarChart data={degreeRows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="batch" tick={AXIS} stroke={GRID} />
            <YAxis unit="%" domain={[0, 100]} tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {DEGREES.map((degree, i) => (
              <Bar
                key={degree}
                dataKey={degree}
                name={DEGREE_LABELS[degree]}
                stackId="degrees"
                fill={DEGREE_COLOURS[i]}
                unit="%"
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </Frame>
      </ChartCard>

      <ChartCard
        id="safety"
        title="Safety bins"
        description={`Share of judgements with safety labels in each bin (${safetyTotal.toLocaleString("en")}), beside Llama 2's 18 / 47 / 35%.`}
        csv={{
          filename: name("safety-bins"),
          header: ["bin", "judgements", "share", "paper_share"],
          rows: insights.safetyBins.map((b) => [b.bin, b.judgements, b.share, b.paperShare]),
        }}
        empty={safetyTotal === 0 ? "No judgements with safety labels in this selection." : null}
      >
        <Frame>
          <BarChart data={safetyRows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="bin" tick={AXIS} stroke={GRID} interval={0} tickFormatter={(v: string) => short(v, 16)} />
            <YAxis unit="%" tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="observed" name="This selection" fill={PRIMARY} unit="%" isAnimationActive={false} />
            <Bar dataKey="paper" name="Llama 2" fill={SECONDARY} unit="%" isAnimationActive={false} />
          </BarChart>
        </Frame>
      </ChartCard>

      <ChartCard
        id="position-bias"
        title="Position bias"
        description="Share of left choices per annotator (most judgements first, 40 at most); red: flagged (binomial test)."
        csv={{
          filename: name("position-bias"),
          header: ["annotator_id", "annotator", "judgements", "left_choices", "left_share", "binomial_p", "flags"],
          rows: insights.annotators.map((a) => [
            a.id,
            a.name,
            a.judgements,
            a.leftChoices,
            a.leftShare,
            a.biasP,
            a.flags.map((f) => f.reason).join("; "),
          ]),
        }}
        empty={biasRows.length === 0 ? "No annotator has judged in this selection yet." : null}
      >
        <Frame>
          <BarChart data={biasRows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="name" tick={AXIS} stroke={GRID} />
            <YAxis unit="%" domain={[0, 100]} tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <ReferenceLine y={50} stroke="var(--color-stone-500)" strokeDasharray="4 4" />
            <Bar dataKey="left" name="Left choices" unit="%" isAnimationActive={false}>
              {biasRows.map((row, i) => (
                <Cell key={i} fill={row.flagged ? ALERT : PRIMARY} />
              ))}
            </Bar>
          </BarChart>
        </Frame>
      </ChartCard>

      <ChartCard
        id="agreement"
        title="Agreement per vendor"
        description="Within each vendor, on comparisons two or more of its annotators judged: raw agreement on the chosen response, Krippendorff's alpha (nominal on it, ordinal on the 8-point scale)."
        csv={{
          filename: name("agreement"),
          header: ["group", "id", "name", "comparisons", "pairs", "raw_agreement", "alpha_nominal", "alpha_ordinal"],
          rows: [insights.agreement.overall, ...insights.agreement.batches, ...insights.agreement.vendors].map((row, i) => [
            i === 0 ? "all" : i <= insights.agreement.batches.length ? "batch" : "vendor",
            row.key,
            row.name,
            row.comparisons,
            row.pairs,
            row.rawAgreement,
            row.alphaNominal,
            row.alphaOrdinal,
          ]),
        }}
        empty={agreementRows.length === 0 ? "No comparison was judged twice by annotators of one vendor in this selection." : null}
      >
        <Frame>
          <BarChart data={agreementRows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="vendor" tick={AXIS} stroke={GRID} />
            <YAxis domain={[(min: number) => Math.min(0, Math.floor(min * 10) / 10), 1]} tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <ReferenceLine y={0} stroke="var(--color-stone-500)" />
            <Bar dataKey="raw" name="Raw agreement" fill={PRIMARY} isAnimationActive={false} />
            <Bar dataKey="nominal" name="α nominal" fill={SECONDARY} isAnimationActive={false} />
            <Bar dataKey="ordinal" name="α ordinal" fill={THIRD} isAnimationActive={false} />
          </BarChart>
        </Frame>
      </ChartCard>

      <ChartCard
        id="leaderboard"
        title="Model leaderboard"
        description={`Bradley–Terry log-strength (mean 0) with bootstrap 95% intervals (${board.bootstrap} redraws), from ${board.judgements.toLocaleString("en")} judgements.`}
        csv={{
          filename: name("leaderboard"),
          header: ["rank", "variant_id", "variant", "score", "low_95", "high_95", "wins", "games"],
          rows: board.rows.map((r) => [r.rank, r.variant, board.names[r.variant] ?? r.variant, r.score, r.low, r.high, r.wins, r.games]),
        }}
        empty={board.rows.length < 2 ? "A leaderboard needs judgements between at least two model variants." : null}
      >
        <Frame height={Math.max(160, 48 * boardRows.length + 40)}>
          <BarChart data={boardRows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid stroke={GRID} horizontal={false} />
            <XAxis type="number" tick={AXIS} stroke={GRID} />
            <YAxis type="category" dataKey="variant" width={130} tick={AXIS} stroke={GRID} />
            <Tooltip {...TOOLTIP} />
            <ReferenceLine x={0} stroke="var(--color-stone-500)" />
            <Bar dataKey="score" name="Score" fill={PRIMARY} isAnimationActive={false}>
              <ErrorBar dataKey="interval" direction="x" width={6} stroke="var(--color-stone-800)" />
            </Bar>
          </BarChart>
        </Frame>
      </ChartCard>
    </div>
  );
}
