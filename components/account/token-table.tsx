"use client";
// API tokens as a table: name, prefix, owner (admins' view), created, last used, and a revoke button for live ones.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/action-result";
import type { ApiTokenView } from "@/server/auth/api-tokens";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { formatUtcMinute } from "@/lib/format-time";
import { DataTable, EmptyState, Tr, type Column } from "@/components/ui/table";

function tokenColumns(showOwner: boolean): Column[] {
  return [
    { label: "Name" },
    { label: "Token", className: "hidden sm:table-cell" },
    ...(showOwner ? [{ label: "Owner", className: "hidden sm:table-cell" }] : []),
    { label: "Created", className: "hidden md:table-cell" },
    { label: "Last used", className: "hidden md:table-cell" },
    { label: <span className="sr-only">Actions</span> },
  ];
}

export function TokenTable({
  tokens,
  showOwner = false,
  revoke,
}: {
  tokens: ApiTokenView[];
  showOwner?: boolean;
  revoke: (tokenId: string) => Promise<ActionResult<ApiTokenView>>;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [revoked, setRevoked] = useState<Record<string, string>>({});

  function onRevoke(token: ApiTokenView) {
    if (
      !window.confirm(`Revoke "${token.name}" (${token.prefix}…)${showOwner ? ` of ${token.userEmail}` : ""}? Scripts using it stop working at once.`)
    )
      return;
    startTransition(async () => {
      setError(null);
      const result = await revoke(token.id);
      if (!result.ok) setError(result.error.message);
      else setRevoked((r) => ({ ...r, [token.id]: result.value.revokedAt ?? "" }));
    });
  }

  if (tokens.length === 0) return <EmptyState>No API tokens yet.</EmptyState>;
  return (
    <div className="space-y-2">
      {error && <Notice tone="error">{error}</Notice>}
      <DataTable columns={tokenColumns(showOwner)} testId="token-table">
        {tokens.map((token) => {
          const revokedAt = token.revokedAt ?? revoked[token.id] ?? null;
          return (
            <Tr key={token.id} className={revokedAt ? "text-stone-600" : "text-stone-800"}>
              <td className="px-3 py-2">
                {token.name}
                {/* Narrow screens: the other columns, under the name. */}
                <div className="mt-0.5 space-y-0.5 text-xs text-stone-600 md:hidden">
                  <div className="sm:hidden">
                    <span className="font-mono">{token.prefix}…</span>
                    {showOwner && <span> · {token.userEmail}</span>}
                  </div>
                  <div>
                    created {formatUtcMinute(token.createdAt)} · last used {token.lastUsedAt ? formatUtcMinute(token.lastUsedAt) : "never"}
                  </div>
                </div>
              </td>
              <td className="hidden px-3 py-2 font-mono text-xs sm:table-cell">{token.prefix}…</td>
              {showOwner && <td className="hidden px-3 py-2 sm:table-cell">{token.userEmail}</td>}
              <td className="hidden whitespace-nowrap px-3 py-2 md:table-cell">{formatUtcMinute(token.createdAt)}</td>
              <td className="hidden whitespace-nowrap px-3 py-2 md:table-cell">{token.lastUsedAt ? formatUtcMinute(token.lastUsedAt) : "never"}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right">
                {revokedAt ? (
                  <span className="text-xs">revoked {formatUtcMinute(revokedAt)}</span>
                ) : (
                  <Button variant="danger" disabled={pending} onClick={() => onRevoke(token)} aria-label={`Revoke ${token.name} (${token.prefix})`}>
                    Revoke
                  </Button>
                )}
              </td>
            </Tr>
          );
        })}
      </DataTable>
    </div>
  );
}
