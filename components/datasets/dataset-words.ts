// The datasets page's small rules: estimates to three significant digits, the server's messages in the page's
// words, and the focus the ticked batches share.
export type BatchOption = { id: string; name: string; focus: string; judgements: number };

/** An estimate shown with three significant digits, so it does not claim a precision it lacks. */
export function approx(n: number): string {
  if (n < 1000) return n.toLocaleString("en");
  const digits = Math.floor(Math.log10(n)) - 2;
  return (Math.round(n / 10 ** digits) * 10 ** digits).toLocaleString("en");
}

/** Where the server's input errors point, in the words of this page's controls. */
const FIELD_LABELS: Record<string, string> = {
  batches: "Batches",
  focus: "Focus",
  from: "From",
  to: "To",
  vendors: "Vendors",
  minDegree: "Minimum degree",
  safetyBins: "Safety bins",
  split: "Split",
  margin: "Margin",
  aggregate: "Several judgements",
  testFraction: "Test fraction",
  salt: "Split salt",
};

/** A message from the server in this page's words: the control it concerns, never a parameter name. */
export function pageWords(message: string): string {
  return message
    .replace(/choose focus=\w+ or focus=\w+/g, "choose Helpfulness or Safety under Focus")
    .replace(/(^|; )(\w+): /g, (_, lead: string, path: string) => `${lead}${FIELD_LABELS[path] ?? path}: `);
}

/** An error of the preview in plain words, from its field issues when there are some. */
export function plainError(
  body: { error?: { message?: string; details?: { issues?: { path: string; message: string }[] } } },
  status: number,
): string {
  const issues = body.error?.details?.issues ?? [];
  if (issues.length > 0) return issues.map((i) => pageWords(`${i.path}: ${i.message}`)).join(" ");
  return body.error?.message ? pageWords(body.error.message) : `The server answered ${status}.`;
}

/** The focus the ticked batches (or all batches, when none is ticked) share, or null when they mix both. */
export function sharedFocus(batches: BatchOption[], selected: string[]): string | null {
  const chosen = selected.length ? batches.filter((b) => selected.includes(b.id)) : batches.filter((b) => b.judgements > 0);
  const focuses = new Set(chosen.map((b) => b.focus));
  return focuses.size === 1 ? [...focuses][0] : null;
}
