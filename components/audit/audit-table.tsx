// Audit entries, newest first: when, who, what, on which entity, and what changed (before → after) at a glance,
// with the full JSON a click away.
import Link from "next/link";
import type { AuditEntryView } from "@/server/audit/queries";
import { diffAuditValues, formatAuditValue } from "@/lib/audit-diff";
import { formatUtcMinute } from "@/lib/format-time";
import { DataTable, EmptyState, type Column } from "@/components/ui/table";

const AUDIT_COLUMNS: Column[] = [{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Entity" }, { label: "Changes" }];

function entityHref(entry: AuditEntryView): string | null {
  if (entry.entityType === "batch") return `/admin/batches/${entry.entityId}`;
  if (entry.entityType === "model_variant") return "/admin/model-variants";
  if (entry.entityType === "user") return "/admin/people";
  if (entry.entityType === "vendor") return "/admin/vendors";
  return null;
}

export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  if (entries.length === 0) {
    return <EmptyState>No audit entries match these filters.</EmptyState>;
  }
  return (
    <DataTable columns={AUDIT_COLUMNS} testId="audit-table">
      {entries.map((entry) => {
        const href = entityHref(entry);
        const changes = diffAuditValues(entry.before, entry.after);
        return (
          <tr key={entry.id} className="border-b border-stone-100 align-top last:border-0" data-testid="audit-row">
            <td className="whitespace-nowrap px-3 py-2.5 tabular-nums text-stone-600">{formatUtcMinute(entry.createdAt)}</td>
            <td className="px-3 py-2.5 text-stone-800">{entry.actor ? entry.actor.email : <span className="text-stone-600">command line</span>}</td>
            <td className="px-3 py-2.5">
              <code className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-800">{entry.action}</code>
            </td>
            <td className="px-3 py-2.5 text-xs">
              <div className="text-stone-700">{entry.entityType}</div>
              {href ? (
                <Link href={href} className="font-mono text-teal-800 hover:underline">
                  {entry.entityId}
                </Link>
              ) : (
                <span className="font-mono text-stone-600">{entry.entityId}</span>
              )}
            </td>
            <td className="px-3 py-2.5">
              <ul className="space-y-0.5 font-mono text-xs">
                {changes.map((change) => (
                  <li key={change.key} className={change.kind === "same" ? "text-stone-600" : "text-stone-800"}>
                    {change.key && <span className="text-stone-600">{change.key}: </span>}
                    {change.kind === "changed" && (
                      <>
                        <span className="text-red-700 line-through decoration-red-300">{formatAuditValue(change.before, 60)}</span>
                        {" → "}
                        <span className="text-teal-800">{formatAuditValue(change.after, 60)}</span>
                      </>
                    )}
                    {change.kind === "added" && <span className="text-teal-800">{formatAuditValue(change.after)}</span>}
                    {change.kind === "removed" && <span className="text-red-700 line-through">{formatAuditValue(change.before)}</span>}
                    {change.kind === "same" && formatAuditValue(change.after)}
                  </li>
                ))}
              </ul>
              {(entry.before !== null || entry.after !== null) && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-stone-600">JSON</summary>
                  <div className="mt-1 grid gap-2 lg:grid-cols-2">
                    <pre className="max-h-64 overflow-auto rounded bg-stone-50 p-2 text-[11px] leading-snug text-stone-700">
                      before {JSON.stringify(entry.before, null, 2)}
                    </pre>
                    <pre className="max-h-64 overflow-auto rounded bg-stone-50 p-2 text-[11px] leading-snug text-stone-700">
                      after {JSON.stringify(entry.after, null, 2)}
                    </pre>
                  </div>
                </details>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
