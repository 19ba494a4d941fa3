// content_sha256 of exports.md: the normalised context and prompt plus the *unordered* pair of responses,
// so the same comparison imported twice (in either response order) hashes the same.
import { createHash } from "node:crypto";
import type { Message } from "./protocol";
import { normaliseText, textsAreIdentical } from "./normalise-text";

function promptSide(context: Message[], prompt: string) {
  return { context: context.map((m) => [m.role, normaliseText(m.content)]), prompt: normaliseText(prompt) };
}

export function comparisonContentSha256(context: Message[], prompt: string, responses: [string, string]): string {
  const [a, b] = responses.map(normaliseText).sort();
  const canonical = JSON.stringify({ ...promptSide(context, prompt), responses: [a, b] });
  return createHash("sha256").update(canonical).digest("hex");
}

export const responsesAreIdentical = textsAreIdentical;

/**
 * A prompt waiting for its responses (prompts import): the normalised context and prompt only. Such a
 * comparison is stored under this hash until generation writes its responses and the full hash above.
 */
export function promptContentSha256(context: Message[], prompt: string): string {
  return createHash("sha256")
    .update(JSON.stringify(promptSide(context, prompt)))
    .digest("hex");
}
