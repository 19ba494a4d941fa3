// The one table: it scrolls sideways inside its frame on a narrow screen (the page never does), with one header
// style. Columns say their label and alignment; rows are the caller's <tr>s of <Td>s. The frame is `relative`: an
// absolutely placed child (an sr-only label) would otherwise escape the scroller and widen the whole page.
import type { TdHTMLAttributes } from "react";

export type Column = { label: React.ReactNode; align?: "left" | "right"; title?: string; className?: string };

export function DataTable({ columns, children, testId, label }: { columns: Column[]; children: React.ReactNode; testId?: string; label?: string }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full border-collapse text-sm" data-testid={testId} aria-label={label}>
        <thead>
          <tr className="border-b border-stone-200 bg-stone-50 text-left text-xs uppercase tracking-wide text-stone-700">
            {columns.map((column, index) => (
              <th
                key={index}
                scope="col"
                title={column.title}
                className={`whitespace-nowrap px-3 py-2 font-medium ${column.align === "right" ? "text-right" : ""} ${column.className ?? ""}`}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ align, className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement> & { align?: "left" | "right" }) {
  return <td className={`px-3 py-2.5 align-top ${align === "right" ? "text-right tabular-nums" : ""} ${className}`} {...props} />;
}

/** A row of the table's body, lightly ruled. */
export function Tr({ className = "", ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={`border-b border-stone-100 last:border-b-0 ${className}`} {...props} />;
}

/** What a list shows when it has nothing to list: says so, and where to go next. */
export function EmptyState({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center text-stone-700" data-testid={testId}>
      {children}
    </div>
  );
}
