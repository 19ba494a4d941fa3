import { describe, expect, it } from "vitest";
import { CsvSyntaxError, readCsvRecords } from "@/lib/csv";

async function collect(parts: (string | Uint8Array)[]) {
  async function* source() {
    yield* parts;
  }
  const out: { line: number; fields: string[] }[] = [];
  for await (const record of readCsvRecords(source())) out.push(record);
  return out;
}

describe("readCsvRecords", () => {
  it("names the line each record starts on, across quoted newlines, blank lines and \\r\\n", async () => {
    const text = '\ufeffprompt,language\r\n"two\r\nlines",en\n\nplain,fr\r\n"a ""quoted"" word",de';
    expect(await collect([text])).toEqual([
      { line: 1, fields: ["prompt", "language"] },
      { line: 2, fields: ["two\nlines", "en"] },
      { line: 5, fields: ["plain", "fr"] },
      { line: 6, fields: ['a "quoted" word', "de"] },
    ]);
  });

  it("handles a \\r\\n and a multi-byte character split across chunks", async () => {
    const bytes = new TextEncoder().encode("prompt\r\nçà va\r\nnext\r\n");
    const parts = [bytes.slice(0, 7), bytes.slice(7, 10), bytes.slice(10)];
    expect(await collect(parts)).toEqual([
      { line: 1, fields: ["prompt"] },
      { line: 2, fields: ["çà va"] },
      { line: 3, fields: ["next"] },
    ]);
  });

  it("stops at a malformed record with its line", async () => {
    await expect(collect(['prompt\nok\n"bad "quote"\nafter\n'])).rejects.toSatisfy(
      (e) => e instanceof CsvSyntaxError && e.line === 3 && /quote/i.test(e.message),
    );
  });
});

describe("readCsvRecords on a failing source", () => {
  it("passes the source's error on instead of waiting forever", async () => {
    async function* source() {
      yield "prompt\nfirst\n";
      throw new Error("upload aborted");
    }
    const read = async () => {
      for await (const record of readCsvRecords(source())) void record;
    };
    await expect(read()).rejects.toThrow(/upload aborted/);
  });
});
