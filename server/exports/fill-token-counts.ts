// Fills the cached Llama 2 token counts of every comparison and response an export selects, once.
// Tokenizing costs about a millisecond per kilobyte: a manifest over a million rows must not redo it.
import { queryRows } from "../pg-pool";
import { countLlamaTokens } from "@/lib/llama-tokens";
import type { Message } from "@/lib/protocol";
import { exportWhere } from "./export-sql";
import type { ExportFilters } from "./schemas";

const CHUNK = 500;

export async function fillTokenCounts(filters: ExportFilters, cutoff: Date | null): Promise<{ comparisons: number; responses: number }> {
  const where = exportWhere(filters, cutoff);
  const selected = `SELECT DISTINCT j."comparisonId" FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId" JOIN "Batch" b ON b.id = c."batchId" ${where.text}`;
  let comparisons = 0;
  let responses = 0;
  for (;;) {
    const rows = await queryRows<{ id: string; context: Message[]; prompt: string }>(
      `SELECT c.id, c.context, c.prompt FROM "Comparison" c
       WHERE c."promptLlamaTokens" IS NULL AND c.id IN (${selected}) LIMIT ${CHUNK}`,
      where.values,
    );
    if (rows.length === 0) break;
    await queryRows(
      `UPDATE "Comparison" c SET "contextLlamaTokens" = t.context, "promptLlamaTokens" = t.prompt
       FROM unnest($1::text[], $2::int[], $3::int[]) AS t(id, context, prompt) WHERE c.id = t.id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.context.reduce((sum, m) => sum + countLlamaTokens(m.content), 0)),
        rows.map((r) => countLlamaTokens(r.prompt)),
      ],
    );
    comparisons += rows.length;
  }
  for (;;) {
    const rows = await queryRows<{ id: string; content: string }>(
      `SELECT r.id, r.content FROM "Response" r WHERE r."llamaTokens" IS NULL AND r."comparisonId" IN (${selected}) LIMIT ${CHUNK}`,
      where.values,
    );
    if (rows.length === 0) break;
    await queryRows(
      `UPDATE "Response" r SET "llamaTokens" = t.tokens FROM unnest($1::text[], $2::int[]) AS t(id, tokens) WHERE r.id = t.id`,
      [rows.map((r) => r.id), rows.map((r) => countLlamaTokens(r.content))],
    );
    responses += rows.length;
  }
  return { comparisons, responses };
}
