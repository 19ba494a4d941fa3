// Parses Anthropic HH-RLHF transcripts ("\n\nHuman: …\n\nAssistant: …") into context, prompt and the
// two final assistant responses. Content is kept byte for byte: a turn is everything after its marker and the one
// space that follows it, up to the next marker, so writing "\n\nHuman: " + content back (lib/export-formats.ts)
// gives the same transcript. Double spaces, trailing spaces, \r\n and tabs inside a turn stay as they were.
import type { Message } from "./protocol";

export type ParsedHhPair = { context: Message[]; prompt: string; chosen: string; rejected: string };

const TURN = /\n\n(Human|Assistant):/g;

/** Thrown for a transcript that parses but would not be written back to the same bytes. */
export class HhNotExactError extends Error {}

export function parseHhTranscript(transcript: string): Message[] {
  const turns: Message[] = [];
  const matches = [...transcript.matchAll(TURN)];
  if (matches.length === 0 || matches[0].index !== 0) {
    throw new Error('a transcript must start with "\\n\\nHuman:"');
  }
  matches.forEach((match, i) => {
    let start = match.index + match[0].length;
    const end = i + 1 < matches.length ? matches[i + 1].index : transcript.length;
    if (transcript[start] !== " ") throw new HhNotExactError(`"${match[1]}:" is not followed by a space (turn ${i + 1})`);
    start += 1;
    turns.push({ role: match[1] === "Human" ? "user" : "assistant", content: transcript.slice(start, end) });
  });
  return turns;
}

/** Splits a chosen/rejected pair at the last shared turn; both must end with an assistant turn. */
export function parseHhPair(chosen: string, rejected: string): ParsedHhPair {
  const a = parseHhTranscript(chosen);
  const b = parseHhTranscript(rejected);
  const lastA = a.at(-1);
  const lastB = b.at(-1);
  if (lastA?.role !== "assistant") throw new Error("chosen must end with an Assistant turn");
  if (lastB?.role !== "assistant") throw new Error("rejected must end with an Assistant turn");
  const prefixA = a.slice(0, -1);
  const prefixB = b.slice(0, -1);
  const samePrefix = prefixA.length === prefixB.length && prefixA.every((m, i) => m.role === prefixB[i].role && m.content === prefixB[i].content);
  if (!samePrefix) throw new Error("chosen and rejected must share every turn but the last");
  const prompt = prefixA.at(-1);
  if (prompt?.role !== "user") throw new Error("the turn before the responses must be a Human turn");
  return { context: prefixA.slice(0, -1), prompt: prompt.content, chosen: lastA.content, rejected: lastB.content };
}
