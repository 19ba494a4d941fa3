"use client";
// The two responses of a judgement, bound to its form: choosing, labelling safety, and the raw-text switch (M
// switches both; each card's own button switches that card).
import { useState } from "react";
import type { Side } from "@/lib/protocol";
import { ResponseCard } from "./response-card";
import { ResponsePair, SIDE_NAME } from "./response-pair";
import type { useJudgementForm } from "./use-judgement-form";

type Form = Pick<ReturnType<typeof useJudgementForm>, "chosen" | "safety" | "setChosen" | "toggleSafety">;

export function JudgingCards(props: { left: string; right: string; form: Form; requireSafety: boolean; raw: boolean; onRaw: () => void }) {
  const { form, raw } = props;
  // A card's own switch flips it against the page's setting (M).
  const [flipped, setFlipped] = useState<Record<Side, boolean>>({ left: false, right: false });
  return (
    <ResponsePair
      chosen={form.chosen}
      card={(side) => (
        <ResponseCard
          side={side}
          name={SIDE_NAME[side]}
          content={side === "left" ? props.left : props.right}
          chosen={form.chosen === side}
          safety={form.safety[side]}
          requireSafety={props.requireSafety}
          raw={raw !== flipped[side]}
          onRaw={() => setFlipped((f) => ({ ...f, [side]: !f[side] }))}
          onChoose={() => form.setChosen(side)}
          onSafety={(label) => form.toggleSafety(side, label)}
        />
      )}
    />
  );
}
