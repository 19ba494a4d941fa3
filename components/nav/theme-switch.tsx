"use client";
// Light, dark, or the device's choice; remembered in a cookie so the server renders the page in it.
import { useState } from "react";
import { Select } from "@/components/ui/field";
import { THEME_COOKIE, type ThemePreference } from "@/lib/theme";

export function ThemeSwitch({ initial }: { initial: ThemePreference }) {
  const [theme, setTheme] = useState<ThemePreference>(initial);
  return (
    <Select
      aria-label="Theme"
      className="!w-auto !px-1.5 !py-1 !text-xs"
      value={theme}
      data-testid="theme-switch"
      onChange={(event) => {
        const next = event.target.value as ThemePreference;
        setTheme(next);
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
        if (next === "system") delete document.documentElement.dataset.theme;
        else document.documentElement.dataset.theme = next;
      }}
    >
      <option value="system">Auto theme</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </Select>
  );
}
