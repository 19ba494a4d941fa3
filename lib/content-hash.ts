// content_sha256 of exports.md: the normalised context and prompt plus the *unordered* pair of responses,
// so the same comparison imported twice (in either response order) hashes the same.
import { createHash } from "node:crypto";
import type { Message } from "./protocol";

function normalise(text: string): string {
  return text.replace(/\r\n?/g, "\n").trim();
}

export function comparisonContentSha256(context: Message[], prompt: string, responses: [string, string]): string {
  const [a, b] = responses.map(normalise).sort();
  const canonical = JSON.stringify({
    context: context.map((m) => [m.role, normalise(m.content)]),
    prompt: normalise(prompt),
    responses: [a, b],
  });
  return createHash("sha256").update(canonical).digest("hex");
}

export function responsesAreIdentical(a: string, b: string): boolean {
  return normalise(a) === normalise(b);
}

/**
 * A prompt waiting for its responses (prompts import): the normalised context and prompt only. Such a
 * comparison is stored under this hash until generation writes its responses and the full hash above.
 */
export function promptContentSha256(context: Message[], prompt: string): string {
  const canonical = JSON.stringify({
    context: context.map((m) => [m.role, normalise(m.content)]),
    prompt: normalise(prompt),
  });
  return createHash("sha256").update(canonical).digest("hex");
}
