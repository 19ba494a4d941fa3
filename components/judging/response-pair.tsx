"use client";
// Responses A and B: side by side on a wide screen; on a phone one at a time, with tabs (and a swipe) between
// them so they can be compared without scrolling from one to the other. Each card is rendered by the caller
// (the judging card, or a card still streaming).
import { useRef, useState } from "react";
import type { Side } from "@/lib/protocol";

export const SIDE_NAME: Record<Side, string> = { left: "A", right: "B" };
const SIDES: Side[] = ["left", "right"];

export function ResponsePair({ card, chosen = null }: { card: (side: Side) => React.ReactNode; chosen?: Side | null }) {
  const [shown, setShown] = useState<Side>("left");
  const touchStart = useRef<number | null>(null);
  return (
    <div className="mt-4">
      <div role="group" aria-label="Show response" className="mb-2 grid grid-cols-2 gap-1 rounded-lg bg-stone-100 p-1 md:hidden">
        {SIDES.map((side) => (
          <button
            key={side}
            type="button"
            aria-pressed={shown === side}
            onClick={() => setShown(side)}
            className={`min-h-11 rounded-md text-sm font-medium ${shown === side ? "bg-white text-stone-900 shadow-sm" : "text-stone-600"}`}
            data-testid={`tab-${side}`}
          >
            Response {SIDE_NAME[side]}
            {chosen === side && <span className="ml-1 text-teal-800">✓</span>}
          </button>
        ))}
      </div>
      <div
        className="grid gap-4 md:grid-cols-2"
        onTouchStart={(event) => (touchStart.current = event.touches[0]?.clientX ?? null)}
        onTouchEnd={(event) => {
          const start = touchStart.current;
          const end = event.changedTouches[0]?.clientX;
          touchStart.current = null;
          if (start === null || end === undefined || Math.abs(end - start) < 60) return;
          setShown(end < start ? "right" : "left");
        }}
      >
        {SIDES.map((side) => (
          <div key={side} className={shown === side ? "" : "max-md:hidden"}>
            {card(side)}
          </div>
        ))}
      </div>
    </div>
  );
}
