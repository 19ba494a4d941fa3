// num_tokens of FastChat's arena messages: tiktoken's encoding for gpt-3.5-turbo (cl100k_base) with every special
// token allowed, as fastchat/serve/monitor/clean_battle_data.py counts them (its "long" category sums them).
import { Tiktoken } from "js-tiktoken/lite";
import cl100kBase from "js-tiktoken/ranks/cl100k_base";

let encoder: Tiktoken | null = null;

export const ARENA_TOKENIZER = "cl100k_base (tiktoken, gpt-3.5-turbo)";

export function countArenaTokens(text: string): number {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder.encode(text, "all").length;
}

/**
 * A counter that remembers the last few texts: a comparison's two conversations share their context, and
 * consecutive turns of a dialogue repeat it, so most messages are counted once.
 */
export function cachedArenaTokenCounter(limit = 256): (text: string) => number {
  let cache = new Map<string, number>();
  return (text) => {
    let n = cache.get(text);
    if (n === undefined) {
      n = countArenaTokens(text);
      if (cache.size >= limit) cache = new Map();
      cache.set(text, n);
    }
    return n;
  };
}
