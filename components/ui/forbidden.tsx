// What a signed-in user sees on a page their role does not open.
export function Forbidden({ what }: { what: string }) {
  return (
    <div className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-xl font-semibold text-stone-900">Not available to your role</h1>
      <p className="mt-3 text-stone-600">{what}</p>
    </div>
  );
}
