"use client";
// Lifecycle buttons: only the moves the batch can make from where it is.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import { Button } from "@/components/ui/button";

const MOVES: Record<string, { to: string; label: string }[]> = {
  draft: [
    { to: "active", label: "Activate" },
    { to: "closed", label: "Close" },
  ],
  active: [
    { to: "paused", label: "Pause" },
    { to: "closed", label: "Close" },
  ],
  paused: [
    { to: "active", label: "Resume" },
    { to: "closed", label: "Close" },
  ],
  closed: [],
};

export function StatusControls(props: {
  batchId: string;
  status: string;
  setStatus: (batchId: string, status: string) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const moves = MOVES[props.status] ?? [];
  if (moves.length === 0) return <p className="text-sm text-stone-600">Closed batches are kept as they are.</p>;
  return (
    <div className="flex items-center gap-2">
      {moves.map((move) => (
        <Button
          key={move.to}
          variant={move.to === "closed" ? "danger" : "primary"}
          disabled={pending}
          onClick={() => {
            if (
              move.to === "closed" &&
              !window.confirm("Close this batch? Annotators will no longer get its comparisons, its generation stops, and it cannot be reopened.")
            )
              return;
            startTransition(async () => {
              const result = await props.setStatus(props.batchId, move.to);
              setError(result.ok ? null : result.error.message);
              router.refresh();
            });
          }}
        >
          {move.label}
        </Button>
      ))}
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
