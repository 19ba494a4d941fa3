import { describe, expect, it } from "vitest";
import { comparisonContentSha256, promptContentSha256, responsesAreIdentical } from "@/lib/content-hash";
import { readNumberedLines } from "@/lib/jsonl";

describe("comparisonContentSha256", () => {
  const context = [
    { role: "user" as const, content: "hi" },
    { role: "assistant" as const, content: "hello" },
  ];

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
  const context = [
    { role: "user" as const, content: "hi" },
    { role: "assistant" as const, content: "hello" },
  ];

  it("hashes the normalised context and prompt only, never like a pair", () => {
    expect(promptContentSha256(context, "q")).toBe(promptContentSha256(context, " q\r\n"));
    expect(promptContentSha256([], "q")).not.toBe(promptContentSha256(context, "q"));
    expect(promptContentSha256(context, "q")).not.toBe(promptContentSha256(context, "q2"));
    expect(promptContentSha256(context, "q")).not.toBe(comparisonContentSha256(context, "q", ["", ""]));
  });
});

describe("readNumberedLines", () => {
  async function collect(parts: (string | Uint8Array)[], maxLineBytes?: number) {
    async function* source() {
      yield* parts;
    }
    const out: { line: number; text: string; tooLong?: boolean }[] = [];
    for await (const { tooLong, ...line } of readNumberedLines(source(), { maxLineBytes })) out.push(tooLong ? { ...line, tooLong } : line);
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

  it("reports a line over the limit, drops its bytes, and goes on with the next (issue 9)", async () => {
    const long = "x".repeat(50);
    expect(await collect(['{"a":1}\n', long.slice(0, 20), long.slice(20), '\n{"b":2}'], 40)).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: "", tooLong: true },
      { line: 3, text: '{"b":2}' },
    ]);
    expect(await collect(["x".repeat(40) + "\n"], 40)).toEqual([{ line: 1, text: "x".repeat(40) }]);
  });

  it("splits in time linear in the input: one 32 MB line without a newline costs about 4 times 8 MB (issue 9)", async () => {
    // Before: every chunk re-scanned the whole buffered line (here 8 MB 342 ms, 32 MB 4,603 ms: 13.5 times; the
    // issue saw 10 MB 1.4 s, 50 MB 25 s). The ratio is measured in one run, against the same reader on a quarter of
    // the input; linear makes it about 4 (3.7 measured), quadratic about 16.
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    async function timeOf(megabytes: number): Promise<number> {
      async function* source() {
        for (let i = 0; i < megabytes * 16; i++) yield chunk;
      }
      const started = performance.now();
      for await (const line of readNumberedLines(source())) expect(line.text.length).toBe(megabytes * 1024 * 1024);
      return performance.now() - started;
    }
    await timeOf(8); // warm-up
    const small = Math.min(await timeOf(8), await timeOf(8));
    const large = await timeOf(32);
    expect(large / small).toBeLessThan(9);
  });
});
