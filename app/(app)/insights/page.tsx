import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { AppError } from "@/server/errors";
import { getInsights, listInsightsFacets } from "@/server/insights/queries";
import { InsightsCharts } from "@/components/insights/insights-charts";
import { InsightsFilters, type InsightsQuery } from "@/components/insights/insights-filters";
import { PeopleTable } from "@/components/insights/people-table";
import { WinRates } from "@/components/insights/win-rates";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

const KEYS = ["batch", "focus", "vendor", "from", "to"] as const;

export default async function InsightsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "insights.read")) return <Forbidden what="Only admins and researchers see insights." />;
  const params = await searchParams;
  const query: InsightsQuery = {};
  for (const key of KEYS) {
    const value = params[key];
    if (typeof value === "string" && value.trim() !== "") query[key] = value.trim();
  }
  const facets = await listInsightsFacets(actor);
  let insights;
  let problem: string | null = null;
  try {
    insights = await getInsights(actor, { batches: query.batch, focus: query.focus, vendors: query.vendor, from: query.from, to: query.to });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_input") throw error;
    problem = error.message;
  }
  const api = `/api/v1/insights${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ""}`;
  return (
    <div className="mx-auto max-w-7xl space-y-6 px-4 py-8 sm:px-6">
      <div>
        <h1 className="text-lg font-semibold text-stone-900">Insights</h1>
        <p className="mt-1 text-sm text-stone-600">
          Who labels carefully, how much annotators agree, and which model wins, from the judgements selected below. Also at{" "}
          <code className="break-all rounded bg-stone-100 px-1">{api}</code>.
        </p>
      </div>
      <InsightsFilters facets={facets} query={query} />
      {problem && (
        <p role="alert" className="text-sm text-red-700" data-testid="insights-problem">
          {problem}
        </p>
      )}
      {insights && (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="insights-totals">
            {[
              ["Judgements", insights.totals.judgements.toLocaleString("en")],
              ["Annotators", insights.totals.annotators.toLocaleString("en")],
              ["Median time", insights.totals.medianMs === null ? "—" : `${(insights.totals.medianMs / 1000).toFixed(1)} s`],
              [
                "Agreement",
                insights.agreement.overall.rawAgreement === null ? "—" : `${(insights.agreement.overall.rawAgreement * 100).toFixed(1)}%`,
              ],
            ].map(([label, value]) => (
              <div key={label} className="rounded-lg border border-stone-200 bg-white px-4 py-3">
                <dt className="text-xs uppercase tracking-wide text-stone-600">{label}</dt>
                <dd className="mt-1 text-lg font-semibold tabular-nums text-stone-900">{value}</dd>
              </div>
            ))}
          </dl>
          <InsightsCharts insights={insights} stamp={new Date().toISOString().slice(0, 10)} />
          {insights.leaderboard.rows.length >= 2 && (
            <section className="space-y-3">
              <h2 className="text-base font-semibold text-stone-900">Win rates</h2>
              <WinRates board={insights.leaderboard} />
            </section>
          )}
          <section className="space-y-3">
            <h2 className="text-base font-semibold text-stone-900">Annotators</h2>
            <p className="text-sm text-stone-600">
              Flagged: position bias (p &lt; 0.001 and 10 points off even), a median under 5 s per judgement; both after 20 judgements.
            </p>
            <PeopleTable rows={insights.annotators} noun="Annotator" testId="annotator-checks" />
          </section>
          <section className="space-y-3">
            <h2 className="text-base font-semibold text-stone-900">Vendors</h2>
            <PeopleTable rows={insights.vendors} noun="Vendor" testId="vendor-checks" />
          </section>
        </>
      )}
    </div>
  );
}
