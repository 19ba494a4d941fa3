import { describe, expect, it } from "vitest";
import { copyLineParser, parseCopyLine, parseCopyStream } from "@/lib/copy-text";

describe("COPY text format", () => {
  const names = ["a", "b", "n"];
  const kinds = ["text", "json", "int"] as const;

  it("splits on tabs, reads \\N as null, unescapes backslashes, parses json and ints", () => {
    // What Postgres sends for a = 'x<TAB>y\\z', b = {"k": "v<NEWLINE>w"} (jsonb text escapes the newline), n = 42.
    const line = 'x\\ty\\\\z\t{"k": "v\\\\nw"}\t42';
    expect(parseCopyLine(line, names, kinds)).toEqual({ a: "x\ty\\z", b: { k: "v\nw" }, n: 42 });
    expect(parseCopyLine("\\N\t[]\t\\N", names, kinds)).toEqual({ a: null, b: [], n: null });
  });

  it("refuses a row with the wrong number of fields", () => {
    expect(() => parseCopyLine("only\ttwo", names, kinds)).toThrow(/2 fields, expected 3/);
  });

  it("builds one parser per query, with names written as literals and only known kinds", () => {
    const odd = copyLineParser<Record<string, unknown>>(['a"b', "c\\d"], ["text", "int"]);
    expect(odd("x\t7")).toEqual({ 'a"b': "x", "c\\d": 7 });
    expect(Object.keys(odd("y\t\\N"))).toEqual(['a"b', "c\\d"]);
    expect(() => copyLineParser(["a"], ["text); process.exit(1); //" as never])).toThrow(/unknown column kind/);
    expect(() => copyLineParser(["a", "b"], ["text"])).toThrow(/one kind per name/);
  });

  it("joins rows split across chunks, including inside a multi-byte character", async () => {
    const bytes = Buffer.from('héllo\t{"a": 1}\t1\nwörld ✓\t[]\t2\n', "utf8");
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const batches: unknown[][] = [];
    for await (const batch of parseCopyStream(chunks(), names, kinds, 1)) batches.push(batch);
    expect(batches.flat()).toEqual([
      { a: "héllo", b: { a: 1 }, n: 1 },
      { a: "wörld ✓", b: [], n: 2 },
    ]);
  });

  it("notices output cut in the middle of a row", async () => {
    async function* chunks() {
      yield Buffer.from("a\t[]\t1\nb\t[");
    }
    await expect(async () => {
      for await (const batch of parseCopyStream(chunks(), names, kinds)) void batch;
    }).rejects.toThrow(/middle of a row/);
  });
});
