// The leaderboard's win-rate matrix: how often the row's variant won against the column's, with the games played.
import type { Leaderboard } from "@/lib/bradley-terry";
import { DataTable, Td, Tr } from "@/components/ui/table";

export function WinRates({ board }: { board: Leaderboard & { names: Record<string, string> } }) {
  if (board.rows.length < 2) return null;
  const order = board.rows.map((r) => board.variants.indexOf(r.variant));
  const name = (i: number) => board.names[board.variants[i]] ?? board.variants[i];
  return (
    <DataTable
      testId="win-rates"
      label="Win rate of the row's variant against the column's"
      columns={[{ label: "Won against →" }, ...order.map((j) => ({ label: name(j), align: "right" as const }))]}
    >
      {order.map((i) => (
        <Tr key={i}>
          <Td className="whitespace-nowrap font-medium text-stone-900">{name(i)}</Td>
          {order.map((j) => (
            <Td key={j} align="right">
              {board.winRate[i][j] === null ? "—" : `${(board.winRate[i][j]! * 100).toFixed(1)}%`}
            </Td>
          ))}
        </Tr>
      ))}
    </DataTable>
  );
}
