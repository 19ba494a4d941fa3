// Timestamps as the console shows them: UTC, to the minute, the same on the server and in the browser.

export function formatUtcMinute(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
