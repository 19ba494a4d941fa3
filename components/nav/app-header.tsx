// The top bar: where this user can go, who they are, the theme, and sign out. On a phone the links sit on their
// own row and scroll sideways within it; the page itself never does.
import Link from "next/link";
import type { ThemePreference } from "@/lib/theme";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { NavLinks, type NavLink } from "./nav-links";
import { ThemeSwitch } from "./theme-switch";

export type { NavLink };

export function AppHeader({ name, role, links, theme }: { name: string; role: string; links: NavLink[]; theme: ThemePreference }) {
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 sm:gap-x-6 sm:px-6">
        <Link href="/" className="text-[15px] font-semibold tracking-tight text-stone-900">
          Pairwise
        </Link>
        <div className="order-last w-full min-w-0 md:order-none md:w-auto md:flex-1">
          <NavLinks links={links} />
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-2 text-sm text-stone-700">
          <ThemeSwitch initial={theme} />
          <Link
            href="/account"
            className="min-w-0 truncate rounded-md px-1.5 py-0.5 hover:bg-stone-100 hover:text-stone-900 max-sm:max-w-[9rem]"
            title="Your account: password and API tokens"
          >
            {name} <span className="text-stone-600 max-sm:hidden">· {role}</span>
          </Link>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
