// Generates judgements for the export benchmark directly in SQL (generate_series): a batch of `small`
// judgements and a second batch with the rest, so that one export reads `small` rows and the other all.
import pg from "pg";

export type GeneratedData = { smallBatch: string; largeBatch: string; judgements: number };

const RESPONSE = "Here is a careful answer with a few details, a short list of steps and a closing remark. ".repeat(4);
const PROMPT = "Could you explain how this works and what I should watch out for when I try it at home?";

async function insertBatch(client: pg.Client, batchId: string, judgements: number): Promise<void> {
  const comparisons = judgements / 2; // overlap 2: two judgements per comparison
  const p = `${batchId}`;
  await client.query(`INSERT INTO "Batch" (id, name, focus, status, overlap, "updatedAt") VALUES ($1, $1, 'helpfulness', 'active', 2, now())`, [p]);
  await client.query(`INSERT INTO "GuidelineVersion" (id, "batchId", version, markdown) VALUES ($1 || '-g', $1, 1, 'Guidelines')`, [p]);
  // Dialogues of four turns each.
  await client.query(`INSERT INTO "Dialogue" (id, "batchId") SELECT $1 || '-d' || g, $1 FROM generate_series(0, ($2::int / 4)) g`, [p, comparisons]);
  await client.query(
    `INSERT INTO "Comparison" (id, "batchId", "dialogueId", "turnIndex", context, prompt, "contentSha256", "contextLlamaTokens", "promptLlamaTokens")
     SELECT $1 || '-c' || g, $1, $1 || '-d' || (g / 4), g % 4,
            CASE WHEN g % 4 = 0 THEN '[]'::jsonb ELSE '[{"role":"user","content":"Earlier question"},{"role":"assistant","content":"Earlier answer"}]'::jsonb END,
            $3 || ' #' || g, md5($1 || g), (g % 4) * 6, 20
     FROM generate_series(0, $2::int - 1) g`,
    [p, comparisons, PROMPT],
  );
  await client.query(
    `INSERT INTO "Response" (id, "comparisonId", slot, content, "modelVariantId", sampling, "llamaTokens")
     SELECT $1 || '-r' || g || '-' || s, $1 || '-c' || g, s, $3 || ' (' || s || '/' || g || ')', 'bench-mv-' || s, '{"temperature":0.8,"top_p":0.9}'::jsonb, 80
     FROM generate_series(0, $2::int - 1) g, generate_series(0, 1) s`,
    [p, comparisons, RESPONSE],
  );
  await client.query(
    `INSERT INTO "Assignment" (id, "comparisonId", "annotatorId", "leftResponseId", "rightResponseId", status, "leaseExpiresAt")
     SELECT $1 || '-a' || g || '-' || k, $1 || '-c' || g, 'bench-u' || ((g + k) % 50),
            $1 || '-r' || g || '-' || ((g + k) % 2), $1 || '-r' || g || '-' || ((g + k + 1) % 2), 'submitted', now()
     FROM generate_series(0, $2::int - 1) g, generate_series(0, 1) k`,
    [p, comparisons],
  );
  await client.query(
    `INSERT INTO "Judgement" (id, "assignmentId", "comparisonId", "annotatorId", "vendorId", "chosenResponseId", "rejectedResponseId", "chosenSide", degree,
                              "timeSpentMs", "guidelineVersionId", "idempotencyKey", "createdAt")
     SELECT $1 || '-j' || g || '-' || k, $1 || '-a' || g || '-' || k, $1 || '-c' || g, 'bench-u' || ((g + k) % 50), 'bench-vendor',
            $1 || '-r' || g || '-' || ((g * 7 + k) % 3 = 0)::int, $1 || '-r' || g || '-' || (1 - ((g * 7 + k) % 3 = 0)::int), 'left',
            (ARRAY['significantly_better','better','slightly_better','negligibly_better_or_unsure'])[1 + (g + k) % 4]::"Degree",
            30000 + g % 1000, $1 || '-g', $1 || '-' || g || '-' || k, now() - interval '1 day' + (g || ' milliseconds')::interval
     FROM generate_series(0, $2::int - 1) g, generate_series(0, 1) k`,
    [p, comparisons],
  );
}

export async function generateBenchData(url: string, total: number, small: number): Promise<GeneratedData> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO "Vendor" (id, name) VALUES ('bench-vendor', 'Bench Vendor')`);
    await client.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "vendorId", "updatedAt")
       SELECT 'bench-u' || g, 'bench' || g || '@bench.test', 'Bench ' || g, 'x', 'annotator', 'bench-vendor', now() FROM generate_series(0, 49) g`,
    );
    await client.query(
      `INSERT INTO "ModelVariant" (id, name, version) VALUES ('bench-mv-0', 'bench-model', 'v1'), ('bench-mv-1', 'bench-model', 'v2')`,
    );
    await insertBatch(client, "bench-small", small);
    await insertBatch(client, "bench-large", total - small);
    await client.query("ANALYZE");
    return { smallBatch: "bench-small", largeBatch: "bench-large", judgements: total };
  } finally {
    await client.end();
  }
}
