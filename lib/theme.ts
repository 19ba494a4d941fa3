// The colour theme a visitor may pick: light, dark, or the device's ("system"), kept in one cookie.
export type ThemePreference = "system" | "light" | "dark";
export const THEME_COOKIE = "pairwise-theme";

export function parseThemePreference(value: string | undefined): ThemePreference {
  return value === "light" || value === "dark" ? value : "system";
}
