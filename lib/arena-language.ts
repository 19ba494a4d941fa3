// A prompt's `language` tag in the vocabulary of FastChat's arena files: the English name of the language as ICU
// names it (FastChat detects it with polyglot, whose Language.name is ICU's display name: "English", "Chinese"),
// or "unknown". Intl.DisplayNames reads the same CLDR names. Tags may be codes ("en", "en-US", "eng") or names.

const names = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

let byLowerName: Map<string, string> | null = null;

/** Every two-letter code's name, once: lets a tag that already is a name ("english") find its spelling. */
function nameIndex(): Map<string, string> {
  if (byLowerName) return byLowerName;
  byLowerName = new Map();
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (const a of letters) {
    for (const b of letters) {
      const name = names.of(a + b);
      if (name) byLowerName.set(name.toLowerCase(), name);
    }
  }
  return byLowerName;
}

export function arenaLanguage(tag: unknown): string {
  if (typeof tag !== "string" || tag.trim() === "") return "unknown";
  const text = tag.trim();
  // The language subtag only: polyglot names "zh-Hant" text "Chinese", not "Traditional Chinese".
  const primary = text.split(/[-_]/)[0];
  if (/^[A-Za-z]{2,3}$/.test(primary)) {
    try {
      const name = names.of(primary.toLowerCase());
      if (name) return name;
    } catch {
      // not a code: try it as a name below
    }
  }
  return nameIndex().get(text.toLowerCase()) ?? "unknown";
}
