const STYLES: Record<string, string> = {
  draft: "bg-stone-100 text-stone-700",
  active: "bg-teal-100 text-teal-900",
  paused: "bg-amber-100 text-amber-900",
  closed: "bg-stone-200 text-stone-600",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status] ?? STYLES.draft}`}>{status}</span>;
}
