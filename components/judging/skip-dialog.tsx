"use client";
// Skipping a comparison, with a reason (a number key picks one) and an optional note. Escape goes back.
import { useState } from "react";
import { SKIP_REASONS, SKIP_REASON_LABELS, type SkipReason } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";
import { TextInput } from "@/components/ui/field";

export function SkipDialog({ onCancel, onSkip }: { onCancel: () => void; onSkip: (reason: SkipReason, note: string) => void }) {
  const [note, setNote] = useState("");
  return (
    <Dialog title="Skip this comparison" onClose={onCancel} testId="skip-dialog">
      <div
        onKeyDown={(event) => {
          if (event.target instanceof HTMLInputElement) return;
          const index = Number(event.key) - 1;
          if (Number.isInteger(index) && index >= 0 && index < SKIP_REASONS.length) {
            event.preventDefault();
            onSkip(SKIP_REASONS[index], note);
          }
        }}
      >
        <p className="text-stone-600">Why? You will not be given this comparison again.</p>
        <ul className="mt-3 space-y-1">
          {SKIP_REASONS.map((reason, index) => (
            <li key={reason}>
              <Button
                variant="quiet"
                className="w-full justify-between"
                onClick={() => onSkip(reason, note)}
                data-autofocus={index === 0 ? true : undefined}
              >
                {SKIP_REASON_LABELS[reason]} <Kbd>{index + 1}</Kbd>
              </Button>
            </li>
          ))}
        </ul>
        <label className="mt-3 block text-sm text-stone-700">
          Note (optional)
          <TextInput className="mt-1" value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} />
        </label>
        <div className="mt-4 flex justify-end">
          <Button onClick={onCancel}>
            Go back <Kbd>Esc</Kbd>
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
