// Data checks per annotator or vendor: the figures and, highlighted, the reasons a row is flagged, in words.
import type { PeopleRow } from "@/server/insights/queries";
import { DataTable, EmptyState, Td, Tr } from "@/components/ui/table";

const percent = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const p = (value: number | null) => (value === null ? "—" : value < 0.001 ? "< 0.001" : value.toFixed(3));

export function PeopleTable({ rows, noun, testId }: { rows: PeopleRow[]; noun: "Annotator" | "Vendor"; testId: string }) {
  if (rows.length === 0) return <EmptyState testId={`${testId}-empty`}>No {noun.toLowerCase()} judged or skipped in this selection.</EmptyState>;
  return (
    <DataTable
      testId={testId}
      label={`Data checks per ${noun.toLowerCase()}`}
      columns={[
        { label: noun },
        { label: "Judgements", align: "right" },
        { label: "Per hour", align: "right", title: "Judgements per clock hour with at least one judgement" },
        { label: "Median time", align: "right" },
        { label: "Left", align: "right", title: "Share of left choices" },
        { label: "p", align: "right", title: "Exact two-sided binomial test against ½" },
        { label: "Skip rate", align: "right" },
        { label: "Agreement", align: "right", title: "Share of pairs with others' judgements of the same comparisons that chose the same response" },
        { label: "Flags" },
      ]}
    >
      {rows.map((row) => (
        <Tr key={row.id || "none"} className={row.flags.length > 0 ? "bg-red-50" : ""} data-flagged={row.flags.length > 0 ? "true" : undefined}>
          <Td className="max-w-[14rem] truncate font-medium text-stone-900" title={row.name}>
            {row.name}
          </Td>
          <Td align="right">{row.judgements.toLocaleString("en")}</Td>
          <Td align="right">{row.judgementsPerHour === null ? "—" : row.judgementsPerHour.toFixed(1)}</Td>
          <Td align="right">{seconds(row.medianMs)}</Td>
          <Td align="right">{percent(row.leftShare)}</Td>
          <Td align="right">{p(row.biasP)}</Td>
          <Td align="right">{percent(row.skipRate)}</Td>
          <Td align="right">{percent(row.agreementWithOthers)}</Td>
          <Td className="min-w-[16rem] text-red-800">
            {row.flags.length === 0 ? <span className="text-stone-600">—</span> : row.flags.map((f) => <div key={f.kind}>{f.reason}</div>)}
          </Td>
        </Tr>
      ))}
    </DataTable>
  );
}
