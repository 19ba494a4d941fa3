// Fills the cached Llama 2 token counts of every comparison and response an export selects, once.
// Tokenizing costs about a millisecond per kilobyte: a manifest over a million rows must not redo it.
//
// The selected comparison ids are read first (one query; a million-judgement selection is ~500,000 short ids)
// and looked up a thousand at a time by primary key and by Response's comparison index, so the plans do not
// depend on how many counts the planner believes are missing. No connection is held while the next is asked
// for: a COPY stream kept open during the updates let four concurrent previews exhaust the pool for good.
// (Joining the selection with "counts IS NULL" did: with statistics taken when every count was filled, Postgres
// chose a nested loop over the whole selection per response, and filling 50,000 comparisons of a
// 1,000,000-judgement database took 455 s; it now takes the tokenizer's time.)
import { queryRows } from "../pg-pool";
import { countLlamaTokens } from "@/lib/llama-tokens";
import type { Message } from "@/lib/protocol";
import { exportComparisonIdsQuery } from "./export-sql";
import type { ExportFilters } from "./schemas";

const BATCH = 1000;

/** Comparisons whose counts are checked (and filled where missing) so far, out of all the export selects. */
export type TokenProgress = { done: number; total: number };

async function fillComparisons(ids: string[]): Promise<{ comparisons: number; responses: number }> {
  const comparisons = await queryRows<{ id: string; context: Message[]; prompt: string }>(
    `SELECT id, context, prompt FROM "Comparison" WHERE id = ANY($1::text[]) AND "promptLlamaTokens" IS NULL`,
    [ids],
  );
  if (comparisons.length > 0) {
    await queryRows(
      `UPDATE "Comparison" c SET "contextLlamaTokens" = t.context, "promptLlamaTokens" = t.prompt
       FROM unnest($1::text[], $2::int[], $3::int[]) AS t(id, context, prompt) WHERE c.id = t.id`,
      [
        comparisons.map((r) => r.id),
        comparisons.map((r) => r.context.reduce((sum, m) => sum + countLlamaTokens(m.content), 0)),
        comparisons.map((r) => countLlamaTokens(r.prompt)),
      ],
    );
  }
  const responses = await queryRows<{ id: string; content: string }>(
    `SELECT id, content FROM "Response" WHERE "comparisonId" = ANY($1::text[]) AND "llamaTokens" IS NULL`,
    [ids],
  );
  if (responses.length > 0) {
    await queryRows(`UPDATE "Response" r SET "llamaTokens" = t.tokens FROM unnest($1::text[], $2::int[]) AS t(id, tokens) WHERE r.id = t.id`, [
      responses.map((r) => r.id),
      responses.map((r) => countLlamaTokens(r.content)),
    ]);
  }
  return { comparisons: comparisons.length, responses: responses.length };
}

export async function fillTokenCounts(
  filters: ExportFilters,
  cutoff: Date | null,
  onProgress?: (progress: TokenProgress) => void,
): Promise<{ comparisons: number; responses: number }> {
  const { text, values } = exportComparisonIdsQuery(filters, cutoff);
  const ids = (await queryRows<{ id: string }>(text, values)).map((row) => row.id);
  const filled = { comparisons: 0, responses: 0 };
  onProgress?.({ done: 0, total: ids.length });
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const result = await fillComparisons(batch);
    filled.comparisons += result.comparisons;
    filled.responses += result.responses;
    onProgress?.({ done: i + batch.length, total: ids.length });
  }
  return filled;
}
