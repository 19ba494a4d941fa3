// A small modal over the comparison (confirm an unsafe choice, pick a skip reason); a click outside cancels.
export function ModalDialog({ title, children, onCancel }: { title: string; children: React.ReactNode; onCancel: () => void }) {
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-stone-900/30 p-4" onClick={onCancel}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className="w-full max-w-md rounded-lg bg-white p-5 text-sm text-stone-800 shadow-xl"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 className="mb-2 text-base font-semibold text-stone-900">{title}</h2>
        {children}
      </div>
    </div>
  );
}
