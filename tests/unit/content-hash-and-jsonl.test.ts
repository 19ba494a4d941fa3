import { describe, expect, it } from "vitest";
import { comparisonContentSha256, promptContentSha256, responsesAreIdentical } from "@/lib/content-hash";
import { readNumberedLines } from "@/lib/jsonl";

describe("comparisonContentSha256", () => {
  const context = [{ role: "user" as const, content: "hi" }, { role: "assistant" as const, content: "hello" }];

  it("ignores the order of the two responses and surrounding whitespace", () => {
    expect(comparisonContentSha256(context, "q", ["a", "b"])).toBe(comparisonContentSha256(context, " q\r\n", ["b ", "a"]));
  });

  it("changes with the context, the prompt or a response", () => {
    const base = comparisonContentSha256(context, "q", ["a", "b"]);
    expect(comparisonContentSha256([], "q", ["a", "b"])).not.toBe(base);
    expect(comparisonContentSha256(context, "q2", ["a", "b"])).not.toBe(base);
    expect(comparisonContentSha256(context, "q", ["a", "c"])).not.toBe(base);
  });

  it("detects identical responses after normalising", () => {
    expect(responsesAreIdentical("same\r\n", "same")).toBe(true);
    expect(responsesAreIdentical("same", "other")).toBe(false);
  });
});

describe("promptContentSha256", () => {
  const context = [{ role: "user" as const, content: "hi" }, { role: "assistant" as const, content: "hello" }];

  it("hashes the normalised context and prompt only, never like a pair", () => {
    expect(promptContentSha256(context, "q")).toBe(promptContentSha256(context, " q\r\n"));
    expect(promptContentSha256([], "q")).not.toBe(promptContentSha256(context, "q"));
    expect(promptContentSha256(context, "q")).not.toBe(promptContentSha256(context, "q2"));
    expect(promptContentSha256(context, "q")).not.toBe(comparisonContentSha256(context, "q", ["", ""]));
  });
});

describe("readNumberedLines", () => {
  async function collect(parts: (string | Uint8Array)[]) {
    async function* source() {
      yield* parts;
    }
    const out: { line: number; text: string }[] = [];
    for await (const line of readNumberedLines(source())) out.push(line);
    return out;
  }

  it("numbers lines across chunk boundaries, skipping blank lines but counting them", async () => {
    expect(await collect(['{"a":', '1}\n\n{"b"', ":2}\r\n", '{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it("keeps multi-byte characters split between chunks intact", async () => {
    const bytes = new TextEncoder().encode('{"t":"héllo ✓"}\n');
    expect(await collect([bytes.slice(0, 8), bytes.slice(8)])).toEqual([{ line: 1, text: '{"t":"héllo ✓"}' }]);
  });
});
