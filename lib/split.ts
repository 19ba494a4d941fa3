// Deterministic, dialogue-grouped train/test split (exports.md): every turn of a dialogue lands on one side.
import { createHash } from "node:crypto";

export type Split = "train" | "test";

export function splitForDialogue(salt: string, dialogueId: string, testFraction: number): Split {
  const digest = createHash("sha256").update(`${salt}|${dialogueId}`).digest();
  const position = Number(digest.readBigUInt64BE(0)) / 2 ** 64;
  return position < testFraction ? "test" : "train";
}

export const DEFAULT_SPLIT_SALT = "pairwise";
export const DEFAULT_TEST_FRACTION = 0.05;
