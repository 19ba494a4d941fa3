// The top bar: where this user can go, who they are, and sign out.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";

export type NavLink = { href: string; label: string };

export function AppHeader({ name, role, links }: { name: string; role: string; links: NavLink[] }) {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2.5 sm:px-6">
        <Link href="/" className="text-[15px] font-semibold tracking-tight text-stone-900">
          Pairwise
        </Link>
        <nav className="flex gap-1 text-sm">
          {links.map((link) => (
            <Link key={link.href} href={link.href} className="rounded-md px-2.5 py-1 text-stone-600 hover:bg-stone-100 hover:text-stone-900">
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm text-stone-600">
          <span>
            {name} <span className="text-stone-400">· {role}</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
