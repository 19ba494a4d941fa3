// lib/llama-tokens.ts pinned on texts whose Llama 2 tokenization is known from outside this code: the examples that
// llama-tokenizer-js documents (its README) and tests against (`defaultTests` in node_modules/llama-tokenizer-js/
// llama-tokenizer.js, token ids checked by its author against Meta's SentencePiece tokenizer), and a few counts worked
// out by hand from the vocabulary. Those ids start with the BOS token (1); countLlamaTokens counts without it (a text's
// own cost), so each expected count is the documented id list's length minus one.
import llamaTokenizer from "llama-tokenizer-js";
import { describe, expect, it } from "vitest";
import { countLlamaTokens, TOKENIZER_NAME } from "@/lib/llama-tokens";

// The long test text of llama-tokenizer-js's defaultTests (the Wikipedia paragraph on llamas with a 🦙 and a Ꙋ mixed
// in), copied byte for byte; its expected ids there are 423 including the BOS token.
const LLAMA_PARAGRAPH =
  'The llama (/ˈlɑːmə/; 🦙Spanish pronunciation: [ˈʎama]) (Lama glama) is a domesticated South American camelid, widely used as a meat and pack animal by Andean cultures since the Pre-Columbian era. Llamas are social animals and live with others as a herd. Their wool is soft and contains only a small amount of lanolin.[2] Llamas can learn simple tasks after a few repetitions. When using a pack, they can carry about 25 to 30% of their body weight for 8 to 13 km (5–8 miles).[3] The name llama (in the past also spelled "lama" or "glama") was adopted by European settlers from native Peruvians.[4] The ancestors of llamas are thought to have originated from the Great Plains of North America about 40 million years ago, and subsequently migrated to South America about three million years ago during the Great American Interchange. By the end of the last ice age (10,000–12,000 years ago), camelids were extinct in North America.[3] As of 2007, there were over seven million llamas and alpacas in South America and over 158,000 llamas and 100,000Ꙋ🦙 alpacas, descended from progenitors imported late in the 20th century, in the United States and Canada.[5] In Aymara mythology, llamas are important beings. The Heavenly Llama is said to drink water from the ocean and urinates as it rains.[6] According to Aymara eschatology, llamas will return to the water springs and lagoons where they come from at the end of time.[6]';

describe("countLlamaTokens", () => {
  it('counts the README\'s example: "Hello world!" is [1, 15043, 3186, 29991], so 3 tokens without BOS', () => {
    expect(countLlamaTokens("Hello world!")).toBe(3);
  });

  it("matches the library's own test cases, each id list minus its BOS token", () => {
    const documented: [string, number[]][] = [
      ["grabbed", [1, 2646, 1327, 287]],
      [" grabbed", [1, 29871, 2646, 1327, 287]],
      ["           grabbed", [1, 9651, 2646, 1327, 287]],
      ["\n", [1, 29871, 13]],
      [" \n", [1, 259, 13]],
      ["\ttabs\t\t\t\tout here", [1, 29871, 12, 21175, 12, 12, 12, 12, 449, 1244]],
      ["ax\n####\nboo", [1, 4853, 13, 4136, 13, 833, 29877]],
      ["镇", [1, 29871, 30411]],
      ["🦙", [1, 29871, 243, 162, 169, 156]],
      ["🦙Ꙋ", [1, 29871, 243, 162, 169, 156, 237, 156, 141]],
      ["Ꙋ🦙", [1, 29871, 237, 156, 141, 243, 162, 169, 156]],
    ];
    for (const [text, ids] of documented) expect(countLlamaTokens(text), JSON.stringify(text)).toBe(ids.length - 1);
  });

  it("counts the library's 1,418-character paragraph as 422 tokens (423 documented ids minus BOS)", () => {
    expect([...LLAMA_PARAGRAPH]).toHaveLength(1418); // code points, as copied
    expect(countLlamaTokens(LLAMA_PARAGRAPH)).toBe(422);
  });

  it("counts nothing for an empty text (no BOS, no leading space token)", () => {
    expect(countLlamaTokens("")).toBe(0);
  });

  it("is exact, not an estimate: a text's count changes by one when one known token is added", () => {
    // "The llama" opens the paragraph above as ▁The (450), ▁ll (11148), ama (3304): 3 tokens.
    expect(countLlamaTokens("The llama")).toBe(3);
    // A newline is always its byte token <0x0A> (id 13), never merged: one more.
    expect(countLlamaTokens("The llama\n")).toBe(4);
  });

  it("is named as the tokenizer the manifest records", () => {
    expect(TOKENIZER_NAME).toMatch(/^llama-tokenizer-js 1\.2\.2 /);
  });
});

// Sanity checks by hand against the vocabulary itself, so the figures above are not only the library agreeing with
// itself: the ids the README's example names are the words they should be, and byte fallback works as counted.
describe("the Llama 2 vocabulary behind those counts", () => {
  const vocab = llamaTokenizer.vocabById;

  it("has Llama 2's 32,000 entries (Touvron et al. 2023, §2.1: a 32k-token vocabulary)", () => {
    expect(vocab).toHaveLength(32_000);
  });

  it('spells "Hello world!" as ▁Hello ▁world ! (ids 15043, 3186, 29991), with no longer piece covering two of them', () => {
    expect([vocab[15043], vocab[3186], vocab[29991]]).toEqual(["▁Hello", "▁world", "!"]);
    for (const piece of ["▁Hello▁world", "▁world!", "▁Hello▁world!"]) expect(llamaTokenizer.vocabByString.has(piece), piece).toBe(false);
  });

  it("falls back to one token per UTF-8 byte for 🦙: ids 3 + byte, four of them after the ▁ that opens every text", () => {
    const bytes = [...Buffer.from("🦙", "utf8")];
    expect(bytes).toEqual([0xf0, 0x9f, 0xa6, 0x99]);
    expect(llamaTokenizer.vocabByString.has("🦙")).toBe(false);
    for (const byte of bytes) expect(vocab[3 + byte]).toBe(`<0x${byte.toString(16).toUpperCase()}>`);
    expect(vocab[29871]).toBe("▁");
    expect(countLlamaTokens("🦙")).toBe(1 + bytes.length);
  });
});
