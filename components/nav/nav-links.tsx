"use client";
// The header's links, the current section marked (aria-current) so people know where they are.
import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavLink = { href: string; label: string };

export function NavLinks({ links }: { links: NavLink[] }) {
  const pathname = usePathname();
  return (
    <nav className="-mx-1 flex gap-1 overflow-x-auto whitespace-nowrap px-1 text-sm" aria-label="Main">
      {links.map((link) => {
        const current = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            className={`rounded-md px-2.5 py-1 ${current ? "bg-stone-100 font-medium text-stone-900" : "text-stone-700 hover:bg-stone-100 hover:text-stone-900"}`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
