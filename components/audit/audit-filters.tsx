// The audit log's filters: a plain GET form, so every filtered view is a link that can be shared.
type Facets = { actions: string[]; entityTypes: string[]; actors: { id: string; email: string }[] };
export type AuditQuery = { action?: string; actor?: string; entityType?: string; entityId?: string; from?: string; to?: string };

const FIELD = "mt-1 block rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm font-normal";
const LABEL = "text-sm font-medium text-stone-700";

export function AuditFilters({ facets, query }: { facets: Facets; query: AuditQuery }) {
  return (
    <form
      method="get"
      action="/admin/audit"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-stone-200 bg-white p-4"
      data-testid="audit-filters"
    >
      <label className={LABEL}>
        Action
        <select name="action" defaultValue={query.action ?? ""} className={FIELD}>
          <option value="">Any action</option>
          {facets.actions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Who
        <select name="actor" defaultValue={query.actor ?? ""} className={FIELD}>
          <option value="">Anyone</option>
          {facets.actors.map((actor) => (
            <option key={actor.id} value={actor.email}>
              {actor.email}
            </option>
          ))}
        </select>
      </label>
      <label className={LABEL}>
        Entity
        <select name="entityType" defaultValue={query.entityType ?? ""} className={FIELD}>
          <option value="">Any entity</option>
          {facets.entityTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      {query.entityId && (
        <label className={LABEL}>
          Entity id
          <input name="entityId" defaultValue={query.entityId} className={`${FIELD} w-56 font-mono text-xs`} />
        </label>
      )}
      <label className={LABEL}>
        From
        <input name="from" type="date" defaultValue={query.from ?? ""} className={FIELD} />
      </label>
      <label className={LABEL}>
        To (inclusive)
        <input name="to" type="date" defaultValue={query.to ?? ""} className={FIELD} />
      </label>
      <button type="submit" className="rounded-md bg-stone-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-stone-700">
        Filter
      </button>
      <a href="/admin/audit" className="py-1.5 text-sm text-stone-600 hover:text-stone-800">
        Clear
      </a>
    </form>
  );
}
