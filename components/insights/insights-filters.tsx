// The insights filters: a plain GET form, so every filtered view is a link to share (and the API's query string).
import type { InsightsFacets } from "@/server/insights/queries";

export type InsightsQuery = { batch?: string; focus?: string; vendor?: string; from?: string; to?: string };

const FIELD = "mt-1 block max-w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm font-normal";
const LABEL = "min-w-0 text-sm font-medium text-stone-700";

export function InsightsFilters({ facets, query }: { facets: InsightsFacets; query: InsightsQuery }) {
  return (
    <form
      method="get"
      action="/insights"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="insights-filters"
    >
      <label className={LABEL}>
        Batch
        <select name="batch" defaultValue={query.batch ?? ""} className={`${FIELD} w-56`}>
          <option value="">All batches</option>
          {facets.batches.map((batch) => (
            <option key={batch.id} value={batch.id}>
              {batch.name} ({batch.focus})
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Focus
        <select name="focus" defaultValue={query.focus ?? ""} className={FIELD}>
          <option value="">Both</option>
          <option value="helpfulness">Helpfulness</option>
          <option value="safety">Safety</option>
        </select>
      </label>
      <label className={LABEL}>
        Vendor
        <select name="vendor" defaultValue={query.vendor ?? ""} className={`${FIELD} w-48`}>
          <option value="">All vendors</option>
          {facets.vendors.map((vendor) => (
            <option key={vendor.id} value={vendor.id}>
              {vendor.name}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        From
        <input name="from" type="date" defaultValue={query.from ?? ""} className={FIELD} />
      </label>
      <label className={LABEL}>
        To (inclusive)
        <input name="to" type="date" defaultValue={query.to ?? ""} className={FIELD} />
      </label>
      <button type="submit" className="rounded-md bg-stone-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-stone-700">
        Show
      </button>
      <a href="/insights" className="py-1.5 text-sm text-stone-600 hover:text-stone-800">
        Clear
      </a>
    </form>
  );
}
