// The digest check every download of a saved dataset goes through (verifiedBytes): bytes pass unchanged when they
// are the recorded file; otherwise the last chunk never leaves, the caller hears of it, and the stream fails.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { verifiedBytes, type FileMismatch } from "@/server/datasets/dataset-files";

const encoder = new TextEncoder();
const parts = ["first line\n", "second line\n", "third line\n"].map((text) => encoder.encode(text));
const whole = Buffer.concat(parts);
const recorded = { path: "data/train.jsonl", rows: 3, bytes: whole.byteLength, sha256: createHash("sha256").update(whole).digest("hex") };

async function* source(chunks: Uint8Array[], pulled: number[] = []): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    pulled.push(chunk.byteLength);
    yield chunk;
  }
}

/** Reads until the end or the failure: what left, what failed, what the caller heard. */
async function drain(expected = recorded, chunks = parts, pulled: number[] = []) {
  const sent: Uint8Array[] = [];
  const heard: FileMismatch[] = [];
  let error: unknown = null;
  try {
    for await (const chunk of verifiedBytes(source(chunks, pulled), expected, (m) => void heard.push(m))) sent.push(chunk);
  } catch (e) {
    error = e;
  }
  return { sent: Buffer.concat(sent), error, heard };
}

describe("verifiedBytes", () => {
  it("passes the recorded file through unchanged", async () => {
    const { sent, error, heard } = await drain();
    expect(error).toBeNull();
    expect(heard).toEqual([]);
    expect(sent.equals(whole)).toBe(true);
  });

  it("keeps the last chunk back when the digest differs, and names both digests", async () => {
    const changed = [parts[0], parts[1], encoder.encode("third LINE\n")];
    const { sent, error, heard } = await drain(recorded, changed);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect(sent.equals(Buffer.concat([parts[0], parts[1]]))).toBe(true);
    const found = createHash("sha256").update(Buffer.concat(changed)).digest("hex");
    expect(heard).toEqual([
      { path: recorded.path, expected: { bytes: recorded.bytes, sha256: recorded.sha256 }, found: { bytes: recorded.bytes, sha256: found } },
    ]);
  });

  it("fails as soon as the file grows past its recorded size, and when it comes out shorter", async () => {
    const pulled: number[] = [];
    const longer = await drain(recorded, [parts[0], parts[1], parts[2], encoder.encode("a fourth\n"), encoder.encode("never read\n")], pulled);
    expect(longer.error).toBeInstanceOf(AppError);
    expect(longer.sent.byteLength).toBeLessThan(recorded.bytes);
    expect(pulled).toHaveLength(4); // stopped at the chunk that went past the size, before reading on
    expect(longer.heard[0].found).toEqual({ bytes: recorded.bytes + 9, sha256: null });
    const shorter = await drain(recorded, [parts[0], parts[1]]);
    expect(shorter.error).toBeInstanceOf(AppError);
    expect(shorter.sent.equals(parts[0])).toBe(true);
  });

  it("sends nothing of a one-chunk file that differs, and accepts an empty file recorded empty", async () => {
    const one = await drain({ ...recorded, bytes: parts[0].byteLength, sha256: "0".repeat(64) }, [parts[0]]);
    expect(one.error).toBeInstanceOf(AppError);
    expect(one.sent.byteLength).toBe(0);
    const empty = await drain({ path: "data/test.jsonl", rows: 0, bytes: 0, sha256: createHash("sha256").digest("hex") }, []);
    expect(empty.error).toBeNull();
    expect(empty.sent.byteLength).toBe(0);
  });
});
