// The one normalisation of texts compared or hashed across Pairwise: line endings unified, ends trimmed. Only for
// keys and comparisons (duplicates, identical pairs): content itself is stored and exported byte for byte.

export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

/** Whether two responses say the same thing once normalised (such pairs are never imported or exported). */
export function textsAreIdentical(a: string, b: string): boolean {
  // Hot path of every export: without carriage returns, normalising is trimming (no regex, no copies).
  if (!a.includes("\r") && !b.includes("\r")) return a.trim() === b.trim();
  return normaliseText(a) === normaliseText(b);
}
