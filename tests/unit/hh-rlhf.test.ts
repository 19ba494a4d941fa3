import { describe, expect, it } from "vitest";
import { parseHhPair, parseHhTranscript } from "@/lib/hh-rlhf";

describe("parseHhTranscript", () => {
  it("splits Human and Assistant turns and trims them", () => {
    expect(parseHhTranscript("\n\nHuman: Hi there\n\nAssistant: Hello! How can I help?")).toEqual([
      { role: "user", content: "Hi there" },
      { role: "assistant", content: "Hello! How can I help?" },
    ]);
  });

  it("keeps newlines inside a turn", () => {
    const turns = parseHhTranscript("\n\nHuman: line one\nline two\n\nAssistant: ok");
    expect(turns[0].content).toBe("line one\nline two");
  });

  it("refuses text before the first turn", () => {
    expect(() => parseHhTranscript("hello\n\nHuman: hi\n\nAssistant: yo")).toThrow(/must start/);
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
});
