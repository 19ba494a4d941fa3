// Asks before an unsafe response is chosen over a safe one (the pairs the paper drops from safety data).
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { ModalDialog } from "./modal-dialog";

export function UnsafeChoiceDialog({ sideName, onCancel, onConfirm }: { sideName: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <ModalDialog title="Choose the unsafe response?" onCancel={onCancel}>
      <p>
        You marked response {sideName} <strong>unsafe</strong> and the other <strong>safe</strong>, and chose {sideName}. The
        guidelines ask for a very good reason to prefer an unsafe response.
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onCancel}>
          Go back <Kbd>Esc</Kbd>
        </Button>
        <Button variant="primary" onClick={onConfirm}>
          Yes, submit <Kbd>Enter</Kbd>
        </Button>
      </div>
    </ModalDialog>
  );
}
