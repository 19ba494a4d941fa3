// A keyboard key, as shown next to every action that has a shortcut; hidden on touch screens, where no key exists.
export function Kbd({ children }: { children: React.ReactNode }) {
  return (
    <kbd className="inline-flex min-w-5 items-center justify-center rounded border border-stone-300 bg-white px-1 font-mono text-[11px] leading-4 text-stone-700 shadow-[0_1px_0_rgba(0,0,0,0.08)] pointer-coarse:hidden">
      {children}
    </kbd>
  );
}
