// Text Postgres cannot store: a NUL character (text columns refuse it) or a lone UTF-16 surrogate (JSON columns
// refuse "\ud800"). Found anywhere in a parsed JSON value, with the path of the field that holds it.

export type HostileText = { path: string; message: string };

function problemOf(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain a NUL character (\\u0000)";
  if (!text.isWellFormed()) return "must not contain a lone surrogate (invalid UTF-16, such as \\ud800 alone)";
  return null;
}

/** The first string (value or key) holding such text, depth first, or null. */
export function findHostileText(value: unknown, path: string[] = []): HostileText | null {
  if (typeof value === "string") {
    const message = problemOf(value);
    return message ? { path: path.join("."), message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findHostileText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = problemOf(key);
      if (keyProblem) return { path: [...path, "(key)"].join("."), message: keyProblem };
      const found = findHostileText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
