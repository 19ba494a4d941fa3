// Server messages name fields as the API does ("temperatureMin: must not exceed temperatureMax"); a form shows
// them in its own words ("Temperature from: must not exceed Temperature to"), given the labels of its controls.

/** `message` with every field name the labels know replaced by its label (field paths first, then mentions). */
export function plainWords(message: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort((a, b) => b.length - a.length);
  if (names.length === 0) return message;
  const pattern = new RegExp(`\\b(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
  return message.replace(pattern, (name) => labels[name]);
}
