// The theme a visitor chose with the switch in the header (lib/theme.ts), read from its cookie.
import { cookies } from "next/headers";
import { THEME_COOKIE, parseThemePreference, type ThemePreference } from "@/lib/theme";

export async function themePreference(): Promise<ThemePreference> {
  return parseThemePreference((await cookies()).get(THEME_COOKIE)?.value);
}
