// The top bar: where this user can go, who they are, and sign out.
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLinks, type NavLink } from "./nav-links";

export type { NavLink };

export function AppHeader({ name, role, links }: { name: string; role: string; links: NavLink[] }) {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2.5 sm:px-6">
        <Link href="/" className="text-[15px] font-semibold tracking-tight text-stone-900">
          Pairwise
        </Link>
        <NavLinks links={links} />
        <div className="ml-auto flex items-center gap-3 text-sm text-stone-600">
          <Link href="/account" className="rounded-md px-1.5 py-0.5 hover:bg-stone-100 hover:text-stone-900" title="Your account: password and API tokens">
            {name} <span className="text-stone-400">· {role}</span>
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
