"use client";
// Asks before an unsafe response is chosen over a safe one (the pairs the paper drops from safety data). "Yes,
// submit" has the focus, so Enter confirms; Tab reaches "Go back", and Escape or "Go back" records nothing.
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";

export function UnsafeChoiceDialog({ sideName, onCancel, onConfirm }: { sideName: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <Dialog title="Choose the unsafe response?" onClose={onCancel} testId="unsafe-dialog">
      <p>
        You marked response {sideName} <strong>unsafe</strong> and the other <strong>safe</strong>, and chose {sideName}. The guidelines ask for a
        very good reason to prefer an unsafe response.
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel} data-testid="unsafe-go-back">
          Go back <Kbd>Esc</Kbd>
        </Button>
        <Button variant="primary" onClick={onConfirm} data-autofocus data-testid="unsafe-confirm">
          Yes, submit <Kbd>Enter</Kbd>
        </Button>
      </div>
    </Dialog>
  );
}
