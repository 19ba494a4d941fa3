// Previous / next links for a paged table, with "page N of M".
import Link from "next/link";

/** `noun` is [one, many], e.g. ["entry", "entries"]. */
export function Pager(props: { page: number; pages: number; total: number; noun: [string, string]; hrefFor: (page: number) => string }) {
  const { page, pages, total, hrefFor } = props;
  const noun = total === 1 ? props.noun[0] : props.noun[1];
  const link = "rounded-md border border-stone-300 bg-white px-2.5 py-1 text-sm text-stone-800 hover:bg-stone-50";
  const off = "rounded-md border border-stone-200 px-2.5 py-1 text-sm text-stone-600";
  return (
    <nav className="mt-3 flex items-center gap-3 text-sm text-stone-600" aria-label="Pages">
      <span className="tabular-nums">
        {total.toLocaleString("en")} {noun} · page {page} of {pages}
      </span>
      <span className="ml-auto flex gap-2">
        {page > 1 ? (
          <Link className={link} href={hrefFor(page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span className={off}>← Previous</span>
        )}
        {page < pages ? (
          <Link className={link} href={hrefFor(page + 1)} rel="next">
            Next →
          </Link>
        ) : (
          <span className={off}>Next →</span>
        )}
      </span>
    </nav>
  );
}
