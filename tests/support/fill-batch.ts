// Fills a batch at scale in SQL (generate_series), through the project's own schema: the queue's triggers keep
// open slots, claimability and the batch's tallies exactly as the app's own writes would. Used by the claim-plan
// test (200,000 comparisons) and bench/scale (1,000,000 comparisons, 2,000,000 judgements).
import type pg from "pg";

export type FilledBatch = { batchId: string; annotatorIds: string[]; guidelineVersionId: string };

type Options = {
  /** Unique prefix of every id this fill creates. */
  prefix: string;
  comparisons: number;
  overlap: number;
  /** The first `full` comparisons (in hand-out order) get all k judgements, from the annotator pool in turn. */
  full: number;
  /** Size of the pool of annotators who made those judgements (at least `overlap`). */
  annotators: number;
  /** Rows per INSERT statement: keeps each statement's trigger work and memory bounded. */
  chunk?: number;
};

/** Inserts users of the pool (annotators of one vendor) and returns their ids. */
async function insertAnnotators(client: pg.Client, prefix: string, count: number): Promise<string[]> {
  await client.query(`INSERT INTO "Vendor" (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING`, [`${prefix}-vendor`]);
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "vendorId", "updatedAt")
     SELECT $1 || '-u' || g, $1 || '-u' || g || '@fill.test', 'Annotator ' || g, 'no-password', 'annotator', $1 || '-vendor', now()
       FROM generate_series(0, $2::int - 1) g`,
    [prefix, count],
  );
  return Array.from({ length: count }, (_, i) => `${prefix}-u${i}`);
}

export async function fillBatch(client: pg.Client, options: Options): Promise<FilledBatch> {
  const { prefix: p, comparisons, overlap, full, annotators } = options;
  const chunk = options.chunk ?? 50_000;
  if (annotators < overlap) throw new Error("the annotator pool must be at least as large as the overlap");
  const annotatorIds = await insertAnnotators(client, p, annotators);
  await client.query(`INSERT INTO "ModelVariant" (id, name, version) VALUES ($1 || '-mv0', $1, 'v1'), ($1 || '-mv1', $1, 'v2')`, [p]);
  await client.query(
    `INSERT INTO "Batch" (id, name, focus, status, overlap, "createdAt", "updatedAt")
     VALUES ($1, $1, 'helpfulness', 'draft', $2, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')`,
    [p, overlap],
  );
  await client.query(
    `INSERT INTO "GuidelineVersion" (id, "batchId", version, markdown, "createdAt")
     VALUES ($1 || '-g', $1, 1, 'Pick the better response.', now() AT TIME ZONE 'UTC' - interval '1 day')`,
    [p],
  );
  for (let from = 0; from < comparisons; from += chunk) {
    const to = Math.min(comparisons, from + chunk) - 1;
    await client.query(`INSERT INTO "Dialogue" (id, "batchId") SELECT $1 || '-d' || g, $1 FROM generate_series($2::int, $3::int) g`, [p, from, to]);
    // Ordered inserts: seq (hand-out order) follows g.
    await client.query(
      `INSERT INTO "Comparison" (id, "batchId", "dialogueId", prompt, "contentSha256")
       SELECT $1 || '-c' || g, $1, $1 || '-d' || g, 'Question ' || g || ': how would you explain this to a friend?', md5($1 || g)
         FROM generate_series($2::int, $3::int) g ORDER BY g`,
      [p, from, to],
    );
    await client.query(
      `INSERT INTO "Response" (id, "comparisonId", slot, content, "modelVariantId", sampling)
       SELECT $1 || '-r' || g || '-' || s, $1 || '-c' || g, s, 'Answer ' || s || ' to question ' || g || '.', $1 || '-mv' || s, '{"temperature":0.8}'::jsonb
         FROM generate_series($2::int, $3::int) g, generate_series(0, 1) s`,
      [p, from, to],
    );
  }
  for (let from = 0; from < full; from += chunk) {
    const to = Math.min(full, from + chunk) - 1;
    // Judgement k of comparison g by annotator (g + k) mod pool: k different annotators per comparison.
    await client.query(
      `INSERT INTO "Assignment" (id, "comparisonId", "annotatorId", "leftResponseId", "rightResponseId", status, "leasedAt", "leaseExpiresAt", "finishedAt")
       SELECT $1 || '-a' || g || '-' || k, $1 || '-c' || g, $1 || '-u' || ((g + k) % $4::int),
              $1 || '-r' || g || '-' || ((g + k) % 2), $1 || '-r' || g || '-' || ((g + k + 1) % 2), 'submitted',
              now() AT TIME ZONE 'UTC' - interval '2 hours', now() AT TIME ZONE 'UTC' - interval '105 minutes', now() AT TIME ZONE 'UTC' - interval '110 minutes'
         FROM generate_series($2::int, $3::int) g, generate_series(0, $5::int - 1) k`,
      [p, from, to, annotators, overlap],
    );
    // The judgement trigger adds each row to the batch's tally, as one submit does; for tens of thousands of rows in
    // one statement that is one tally row updated again and again in one transaction (quadratic). So the statement
    // runs with that trigger off and adds its count to the tally once, in the same transaction: the same state.
    await client.query("BEGIN");
    await client.query(`ALTER TABLE "Judgement" DISABLE TRIGGER "Judgement_tally"`);
    const judged = await client.query(
      `INSERT INTO "Judgement" (id, "assignmentId", "comparisonId", "annotatorId", "vendorId", "chosenResponseId", "rejectedResponseId",
                                "chosenSide", degree, "timeSpentMs", "guidelineVersionId", "idempotencyKey", "createdAt")
       SELECT $1 || '-j' || g || '-' || k, $1 || '-a' || g || '-' || k, $1 || '-c' || g, $1 || '-u' || ((g + k) % $4::int), $1 || '-vendor',
              $1 || '-r' || g || '-' || ((g + k) % 2), $1 || '-r' || g || '-' || ((g + k + 1) % 2), 'left',
              (ARRAY['significantly_better','better','slightly_better','negligibly_better_or_unsure'])[1 + (g + k) % 4]::"Degree",
              20000 + g % 9000, $1 || '-g', $1 || '-k' || g || '-' || k, now() AT TIME ZONE 'UTC' - interval '110 minutes'
         FROM generate_series($2::int, $3::int) g, generate_series(0, $5::int - 1) k`,
      [p, from, to, annotators, overlap],
    );
    await client.query(`SELECT pairwise_tally_add($1, 0, 0, $2)`, [p, judged.rowCount]);
    await client.query(`ALTER TABLE "Judgement" ENABLE TRIGGER "Judgement_tally"`);
    await client.query("COMMIT");
  }
  await client.query(`UPDATE "Batch" SET status = 'active' WHERE id = $1`, [p]);
  // What autovacuum does while a real batch fills over days (the queue's tables are vacuumed every 5,000 changes,
  // see the queue_autovacuum migration): the dead index entries of comparisons that filled are gone.
  await client.query(`VACUUM (ANALYZE)`);
  return { batchId: p, annotatorIds, guidelineVersionId: `${p}-g` };
}
