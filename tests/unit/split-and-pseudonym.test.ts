import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { splitForDialogue } from "@/lib/split";
import { pseudonymiseAnnotator } from "@/lib/pseudonym";

describe("splitForDialogue", () => {
  it("follows the spec: first 8 bytes of sha256(salt|dialogue) / 2^64 below the fraction means test", () => {
    for (const id of ["d1", "d2", "dialogue-42", "x"]) {
      const value = Number(createHash("sha256").update(`s|${id}`).digest().readBigUInt64BE(0)) / 2 ** 64;
      expect(splitForDialogue("s", id, 0.5)).toBe(value < 0.5 ? "test" : "train");
    }
  });

  it("is all train at 0 and all test at 1, and close to the fraction in between", () => {
    expect(splitForDialogue("s", "a", 0)).toBe("train");
    expect(splitForDialogue("s", "a", 1)).toBe("test");
    let test = 0;
    for (let i = 0; i < 10000; i++) if (splitForDialogue("salt", `dialogue-${i}`, 0.1) === "test") test++;
    expect(test).toBeGreaterThan(900);
    expect(test).toBeLessThan(1100);
  });
});

describe("pseudonymiseAnnotator", () => {
  it("is ann_ + 16 hex of HMAC-SHA256(secret, id), stable and secret-dependent", () => {
    const expected = "ann_" + createHmac("sha256", "k").update("user-1").digest("hex").slice(0, 16);
    expect(pseudonymiseAnnotator("k", "user-1")).toBe(expected);
    expect(pseudonymiseAnnotator("k", "user-1")).toMatch(/^ann_[0-9a-f]{16}$/);
    expect(pseudonymiseAnnotator("other", "user-1")).not.toBe(expected);
  });
});
