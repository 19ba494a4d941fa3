import { describe, expect, it } from "vitest";
import { HhNotExactError, parseHhPair, parseHhTranscript } from "@/lib/hh-rlhf";
import { formatRecord, type CanonicalRecord } from "@/lib/export-formats";

describe("parseHhTranscript", () => {
  it("splits Human and Assistant turns after the one space that follows each marker", () => {
    expect(parseHhTranscript("\n\nHuman: Hi there\n\nAssistant: Hello! How can I help?")).toEqual([
      { role: "user", content: "Hi there" },
      { role: "assistant", content: "Hello! How can I help?" },
    ]);
  });

  it("keeps every other byte of a turn: newlines, double and trailing spaces, \\r\\n, tabs", () => {
    const turns = parseHhTranscript("\n\nHuman: line one\nline two \r\n\tx\n\nAssistant:  two spaces  \n\nHuman: é ü 中文\n");
    expect(turns.map((t) => t.content)).toEqual(["line one\nline two \r\n\tx", " two spaces  ", "é ü 中文\n"]);
  });

  it("refuses text before the first turn, even blank", () => {
    expect(() => parseHhTranscript("hello\n\nHuman: hi\n\nAssistant: yo")).toThrow(/must start/);
    expect(() => parseHhTranscript(" \n\nHuman: hi\n\nAssistant: yo")).toThrow(/must start/);
  });

  it("flags a marker without its space: it could not be written back as it was", () => {
    expect(() => parseHhTranscript("\n\nHuman:hi\n\nAssistant: yo")).toThrow(HhNotExactError);
    expect(() => parseHhTranscript("\n\nHuman: hi\n\nAssistant:")).toThrow(HhNotExactError);
  });
});

describe("parseHhPair", () => {
  const shared = "\n\nHuman: How do I pick a lock?\n\nAssistant: Are you locked out?\n\nHuman: Yes, my front door.";

  it("puts the shared turns in the context and the last Human turn in the prompt", () => {
    const pair = parseHhPair(`${shared}\n\nAssistant: Call a locksmith.`, `${shared}\n\nAssistant: Use a tension wrench.`);
    expect(pair).toEqual({
      context: [
        { role: "user", content: "How do I pick a lock?" },
        { role: "assistant", content: "Are you locked out?" },
      ],
      prompt: "Yes, my front door.",
      chosen: "Call a locksmith.",
      rejected: "Use a tension wrench.",
    });
  });

  it("refuses pairs whose earlier turns differ", () => {
    expect(() => parseHhPair("\n\nHuman: a\n\nAssistant: x", "\n\nHuman: b\n\nAssistant: y")).toThrow(/share every turn/);
  });

  it("refuses transcripts that do not end with the Assistant", () => {
    expect(() => parseHhPair("\n\nHuman: a", "\n\nHuman: a\n\nAssistant: y")).toThrow(/chosen must end/);
  });

  it("round-trips through the hh-rlhf export byte for byte", () => {
    const chosen = "\n\nHuman:  Two spaces, then\ttab \n\nAssistant: Trailing space \r\n\n\nHuman: ¿Qué? 中文 \n\nAssistant:  Ja, gern.  ";
    const rejected = "\n\nHuman:  Two spaces, then\ttab \n\nAssistant: Trailing space \r\n\n\nHuman: ¿Qué? 中文 \n\nAssistant: Nein.\r\n";
    const pair = parseHhPair(chosen, rejected);
    const record = {
      context: [...pair.context, { role: "user", content: pair.prompt }],
      responses: [
        { response_id: "a", content: pair.chosen, position: "left" },
        { response_id: "b", content: pair.rejected, position: "right" },
      ],
      chosen_response_id: "a",
      degree: "better",
      focus: "helpfulness",
      safety_bin: null,
      comparison_id: "c",
      judgement_ids: ["j"],
    } as unknown as CanonicalRecord;
    expect(formatRecord(record, "hh-rlhf", { ids: false })).toEqual({ chosen, rejected });
  });
});
