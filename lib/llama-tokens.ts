// Token counts for the Table 6 statistics with the Llama 2 tokenizer (the one the paper counted in), offline.
import llamaTokenizer from "llama-tokenizer-js";

export const TOKENIZER_NAME = "llama-tokenizer-js 1.2.2 (Llama 1/2 SentencePiece vocabulary)";

/** Tokens of a text without the BOS/EOS markers: what the text itself costs. */
export function countLlamaTokens(text: string): number {
  if (text === "") return 0;
  return llamaTokenizer.encode(text, false, true).length;
}
