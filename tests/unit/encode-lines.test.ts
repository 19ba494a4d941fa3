import { createGzip, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeLines } from "@/server/exports/encode-lines";

async function* batches(lines: string[][]) {
  for (const batch of lines) yield batch;
}

async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<{ whole: Buffer; chunks: number[] }> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return { whole: Buffer.concat(parts), chunks: parts.map((p) => p.length) };
}

describe("encodeLines", () => {
  // Short lines, multi-byte characters, lines longer than a chunk, and an empty batch.
  const lines = [
    ['{"a":"héllo ✓"}\n', '{"b":1}\n'],
    [],
    ['{"long":"' + "x".repeat(100_000) + '"}\n', '{"emoji":"🙂"}\n'],
    Array.from({ length: 2000 }, (_, i) => `{"i":${i},"t":"${"é".repeat(i % 50)}"}\n`),
  ];
  const expected = Buffer.from(lines.flat().join(""), "utf8");

  it("sends exactly the UTF-8 of the lines, in chunks of at most 64 KB except a line longer than that", async () => {
    const { whole, chunks } = await bytesOf(encodeLines(batches(lines)));
    expect(whole.equals(expected)).toBe(true);
    expect(chunks.filter((n) => n > 64 * 1024)).toEqual([Buffer.byteLength(lines[2][0])]);
    expect(chunks.length).toBeGreaterThan(2);
  });

  it("gzips to the same bytes as a gzip stream fed one line at a time (how a saved dataset's digest is made)", async () => {
    const gz = await bytesOf(encodeLines(batches(lines), { gzip: true }));
    expect(gunzipSync(gz.whole).equals(expected)).toBe(true);
    const lineByLine = createGzip();
    const digested = bytesOf(lineByLine);
    for (const line of lines.flat()) lineByLine.write(Buffer.from(line, "utf8"));
    lineByLine.end();
    expect((await digested).whole.equals(gz.whole)).toBe(true);
  });

  it("sends nothing for no lines", async () => {
    expect((await bytesOf(encodeLines(batches([[], []])))).whole.length).toBe(0);
  });
});
