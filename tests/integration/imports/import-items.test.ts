// Imports under hostile input (issue 9): a per-line limit, hostile characters named by field, skipped lines capped
// with a count, a client that leaves rolls back at once, and random or broken JSONL and CSV fed to every importer:
// all or nothing, never an error that is not an AppError (a 500).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as itemsRoute from "@/app/api/v1/batches/[id]/items/route";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { chunks, makeUser, pairwiseLine } from "../fixtures";
import { promptLine } from "../generation-fixtures";
import { tokenFor } from "../api-call";

async function newBatch(admin: Actor): Promise<string> {
  return (await createBatch(admin, { name: `hostile ${Date.now()}`, focus: "helpfulness", overlap: 1, guidelines: "" })).id;
}

describe("import bounds", () => {
  it("names a line over the line limit (without holding it) and hostile characters by field; imports nothing", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const long = JSON.stringify({ prompt: "x".repeat(1024 * 1024 + 10), responses: [] });
    const nul = JSON.stringify(JSON.parse(pairwiseLine(4))).replace('"Question', '"\\u0000Question');
    const surrogate = pairwiseLine(5).replace("It is 10.", "It is \\ud800.");
    const report = await importItems(
      admin,
      batchId,
      "pairwise",
      chunks([pairwiseLine(1), long, pairwiseLine(3), nul, surrogate].join("\n"), 64 * 1024),
    );
    expect(report.imported).toBe(0);
    expect(report.errors).toEqual([
      { line: 2, message: "line is longer than 1,048,576 bytes (IMPORT_LINE_LIMIT_BYTES)" },
      { line: 4, message: expect.stringMatching(/^prompt: must not contain a NUL character/) },
      { line: 5, message: expect.stringMatching(/^responses\.0\.content: must not contain a lone surrogate/) },
    ]);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
  });

  it("lists at most 200 skipped lines and counts them all", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const file = [pairwiseLine(1), ...Array.from({ length: 500 }, () => pairwiseLine(1))].join("\n");
    const report = await importItems(admin, batchId, "pairwise", chunks(file, 8192));
    expect(report.imported).toBe(1);
    expect(report.skipped).toHaveLength(200);
    expect(report.skippedCount).toBe(500);
  });

  it("rolls back at once when the client leaves mid-upload: nothing stored, the batch free for the next import", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const batchId = await newBatch(admin);
    const encoder = new TextEncoder();
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (feed = c) });
    const client = new AbortController();
    const request = new Request("http://localhost/api/v1/batches/x/items?format=pairwise", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
      body,
      signal: client.signal,
      duplex: "half",
    } as RequestInit);
    const answer = itemsRoute.POST(request, { params: Promise.resolve({ id: batchId }) });
    // More than one write chunk (500 items): rows are inside the open transaction when the client goes.
    feed.enqueue(encoder.encode(Array.from({ length: 1200 }, (_, i) => pairwiseLine(i)).join("\n") + "\n"));
    for (
      let i = 0;
      i < 50 && (await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`)[0].n === 0n;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    const left = performance.now();
    client.abort();
    await answer;
    expect(performance.now() - left).toBeLessThan(2000);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
    const next = await importItems(admin, batchId, "pairwise", chunks(pairwiseLine(1)));
    expect(next.imported).toBe(1);
  });
});

// Lines of every kind: valid ones of each format, and broken ones.
const brokenLine = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"prompt":"a\\u0000b"}',
    '{"prompt":"\\udc00"}',
    '{"prompt":1e999}',
    "{",
    "[]",
    "null",
    '{"prompt":""}',
    '{"prompt":"p","responses":[1,2]}',
  ),
);

function validLine(format: string, i: number): string {
  if (format === "prompts") return promptLine(i);
  if (format === "hh-rlhf")
    return JSON.stringify({ chosen: `\n\nHuman: q${i}\n\nAssistant: yes ${i}`, rejected: `\n\nHuman: q${i}\n\nAssistant: no ${i}` });
  return pairwiseLine(i);
}

async function expectAllOrNothing(admin: Actor, format: string, file: string, chunkSize: number) {
  const batchId = await newBatch(admin);
  let report;
  try {
    report = await importItems(admin, batchId, format, chunks(file, chunkSize));
  } catch (error) {
    // The only acceptable throw is a mapped error (4xx), never an internal one.
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBeLessThan(500);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
    return;
  }
  const stored = await db.comparison.count({ where: { batchId } });
  if (report.errorCount > 0) expect(stored).toBe(0);
  expect(stored).toBe(report.imported);
  expect(report.errors.length).toBeLessThanOrEqual(200);
  expect(report.skipped.length).toBeLessThanOrEqual(200);
}

describe("every importer under random and broken input (fast-check)", () => {
  for (const format of ["pairwise", "hh-rlhf", "prompts"]) {
    it(`${format}: all or nothing, never a 500`, async () => {
      const admin = await makeUser("admin");
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.nat(50).map((i) => validLine(format, i)),
              // Valid but for a NUL or a lone surrogate inside the first text (Postgres refuses both: it was a 500).
              fc.tuple(fc.nat(50), fc.constantFrom("\\u0000", "\\ud800")).map(([i, bad]) => validLine(format, i).replace(/(\d+)/, `$1${bad}`)),
              brokenLine,
            ),
            { maxLength: 12 },
          ),
          fc.constantFrom("\n", "\r\n"),
          fc.integer({ min: 1, max: 300 }),
          async (lines, newline, chunkSize) => expectAllOrNothing(admin, format, lines.join(newline), chunkSize),
        ),
        { numRuns: 25 },
      );
    });
  }

  it("prompts-csv: all or nothing, never a 500", async () => {
    const admin = await makeUser("admin");
    const field = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"quoted, with comma"', '"unclosed', "a\u0000b", "x\ny", '""', "illicit_and_criminal_activities"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("prompt", "prompt,risk_category", "prompt,language,note", "text", "prompt,prompt", ""),
        fc.array(
          fc.array(field, { maxLength: 3 }).map((fields) => fields.join(",")),
          { maxLength: 10 },
        ),
        fc.integer({ min: 1, max: 200 }),
        async (header, rows, chunkSize) => expectAllOrNothing(admin, "prompts-csv", [header, ...rows].join("\n"), chunkSize),
      ),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// All or nothing at any size (issue 13): rows are written in chunks of 500 inside the import's one transaction, so a
// bad line after 600 or 100,000 good ones comes after rows were written; the batch must be left exactly as it was.
// Two imports into one batch at the same moment each keep their own all-or-nothing and never store a comparison
// twice (a duplicate is what the importer calls one: the same content hash, lib/content-hash.ts).

/** A file of `count` good lines (from `first` on), a bad one after them if asked, generated as it is read. */
async function* generatedFile(
  format: "pairwise" | "hh-rlhf" | "prompts" | "prompts-csv",
  count: number,
  options: { first?: number; bad?: boolean; modelVersion?: string; pauseAfter?: number; paused?: () => void; pause?: Promise<void> } = {},
): AsyncGenerator<string> {
  const first = options.first ?? 0;
  if (format === "prompts-csv") yield "prompt,language\n";
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const i = first + n;
    const line = format === "prompts-csv" ? `"Prompt ${i}, with a comma",en` : validLine(format, i);
    lines.push(options.modelVersion ? line.replace('"version":"v2"', `"version":"${options.modelVersion}"`) : line);
    if (lines.length === 1000 || n === count - 1 || n + 1 === options.pauseAfter) {
      yield lines.join("\n") + "\n";
      lines.length = 0;
    }
    if (n + 1 === options.pauseAfter) {
      // Asked for more: the importer has taken in every line so far.
      options.paused?.();
      await options.pause;
    }
  }
  if (options.bad) yield `${BAD_LINE[format].text}\n`;
}

/** A bad line in each format, and what the report calls it. */
const BAD_LINE: Record<string, { text: string; message: RegExp }> = {
  pairwise: {
    text: JSON.stringify({ prompt: "p", responses: [{ content: "a", model: { name: "m" } }] }),
    message: /^responses: must hold exactly two responses$/,
  },
  "hh-rlhf": { text: JSON.stringify({ chosen: "\n\nHuman: q\n\nAssistant: a" }), message: /^rejected: is required/ },
  prompts: { text: JSON.stringify({ prompt: " " }), message: /^prompt: must not be empty$/ },
  "prompts-csv": { text: `"a prompt",en,extra`, message: /^has 3 fields, the header has 2$/ },
};

/**
 * Everything an import writes, as it stands: every table's row count, and the contents of the batch's row, its
 * tallies and import records, the model variants and the audit log.
 */
async function databaseState(batchId: string) {
  const tables = await db.$queryRaw<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}"`))[0].n);
  const [rows] = await db.$queryRaw<Record<string, string | null>[]>`
    SELECT (SELECT md5(string_agg(to_jsonb(b)::text, '')) FROM "Batch" b WHERE b.id = ${batchId}) AS batch,
           (SELECT md5(string_agg(to_jsonb(t)::text, '' ORDER BY shard)) FROM "BatchTally" t WHERE t."batchId" = ${batchId}) AS tallies,
           (SELECT md5(string_agg(to_jsonb(i)::text, '' ORDER BY id)) FROM "BatchImport" i WHERE i."batchId" = ${batchId}) AS imports,
           (SELECT md5(string_agg(to_jsonb(v)::text, '' ORDER BY id)) FROM "ModelVariant" v) AS variants,
           (SELECT md5(string_agg(to_jsonb(a)::text, '' ORDER BY id)) FROM "AuditEntry" a) AS audit`;
  return { counts, rows };
}

/** The last value the comparisons' sequence handed out: it moves on with every row written, committed or not. */
async function lastComparisonSeq(): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT nextval(pg_get_serial_sequence('"Comparison"', 'seq')) AS n`;
  return Number(row.n);
}

describe("all or nothing at any size", () => {
  for (const format of ["pairwise", "hh-rlhf", "prompts", "prompts-csv"] as const) {
    it(`${format}: a bad line after 600 good ones (500 already written) leaves the batch exactly as it was and names the line`, async () => {
      const admin = await makeUser("admin");
      const batchId = await newBatch(admin);
      // Something already in the batch, so that "as it was" is more than empty.
      expect((await importItems(admin, batchId, format, generatedFile(format, 3, { first: 10_000 }))).imported).toBe(3);
      const before = await databaseState(batchId);
      const seqBefore = await lastComparisonSeq();
      // A model version no earlier import named: the variant the first chunk created must go too.
      const modelVersion = `v-${randomUUID()}`;
      const report = await importItems(admin, batchId, format, generatedFile(format, 600, { bad: true, modelVersion }));
      const badLine = format === "prompts-csv" ? 602 : 601; // the CSV header is line 1
      expect(report).toMatchObject({ importId: null, imported: 0, lines: badLine, errorCount: 1, skippedCount: 0 });
      expect(report.errors).toEqual([{ line: badLine, message: expect.stringMatching(BAD_LINE[format].message) }]);
      // The first chunk of 500 was written inside the transaction before the bad line was read (the sequence moved
      // on by it: its values are not given back), and it is gone.
      expect((await lastComparisonSeq()) - seqBefore).toBe(500 + 1);
      expect(await databaseState(batchId)).toEqual(before);
      // The batch takes the same file without its bad line.
      expect((await importItems(admin, batchId, format, generatedFile(format, 600, { modelVersion }))).imported).toBe(600);
      if (format === "pairwise") expect(await db.modelVariant.count({ where: { version: modelVersion } })).toBe(1);
    });
  }

  it("a bad line after 100,000 good ones leaves the batch exactly as it was and names the line", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    expect((await importItems(admin, batchId, "pairwise", generatedFile("pairwise", 2, { first: 500_000 }))).imported).toBe(2);
    const before = await databaseState(batchId);
    const seqBefore = await lastComparisonSeq();
    const report = await importItems(
      admin,
      batchId,
      "pairwise",
      generatedFile("pairwise", 100_000, { bad: true, modelVersion: `v-${randomUUID()}` }),
    );
    expect(report).toMatchObject({ importId: null, imported: 0, lines: 100_001, errorCount: 1, skippedCount: 0 });
    expect(report.errors).toEqual([{ line: 100_001, message: expect.stringMatching(BAD_LINE.pairwise.message) }]);
    expect((await lastComparisonSeq()) - seqBefore).toBe(100_000 + 1); // every good line was written, then undone
    expect(await databaseState(batchId)).toEqual(before);
  }, 600_000);

  describe("two imports into one batch at the same moment", () => {
    /** How many sessions of this database wait for an advisory lock (an import waiting for the batch's import lock). */
    async function waitingForImportLock(): Promise<number> {
      const [row] = await db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
      return Number(row.n);
    }

    async function until(what: string, check: () => Promise<boolean>): Promise<void> {
      for (let i = 0; !(await check()); i++) {
        if (i > 500) throw new Error(`${what}: not after 10 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    /**
     * A first import, held open after 600 lines (its first 500 written inside its transaction), and a second one sent
     * then, shown to be waiting for the first; the first is let go once the second waits.
     */
    async function overlappingImports(
      admin: Actor,
      batchId: string,
      files: { first: { from: number; bad?: boolean }; second: { from: number; bad?: boolean } },
    ) {
      let release!: () => void;
      const pause = new Promise<void>((resolve) => (release = resolve));
      let paused!: () => void;
      const reached = new Promise<void>((resolve) => (paused = resolve));
      const first = importItems(
        admin,
        batchId,
        "pairwise",
        generatedFile("pairwise", 1000, { first: files.first.from, bad: files.first.bad, pauseAfter: 600, paused, pause }),
      );
      await reached;
      const second = importItems(admin, batchId, "pairwise", generatedFile("pairwise", 1000, { first: files.second.from, bad: files.second.bad }));
      try {
        await until("the second import waiting for the first", async () => (await waitingForImportLock()) === 1);
      } finally {
        release(); // never leave the first one hanging, even when the check fails
      }
      return { first: await first, second: await second };
    }

    async function duplicatedHashes(batchId: string): Promise<number> {
      const rows = await db.$queryRaw<
        unknown[]
      >`SELECT "contentSha256" FROM "Comparison" WHERE "batchId" = ${batchId} GROUP BY 1 HAVING count(*) > 1`;
      return rows.length;
    }

    it("both good and overlapping: the second stores only what the first did not, no comparison twice", async () => {
      const admin = await makeUser("admin");
      const batchId = await newBatch(admin);
      const { first, second } = await overlappingImports(admin, batchId, { first: { from: 0 }, second: { from: 500 } });
      expect(first).toMatchObject({ imported: 1000, errorCount: 0, skippedCount: 0 });
      expect(second).toMatchObject({ imported: 500, errorCount: 0, skippedCount: 500 });
      expect(second.skipped[0]).toEqual({ line: 1, reason: "duplicate of a comparison already in this batch" });
      expect(await db.comparison.count({ where: { batchId } })).toBe(1500);
      expect(await db.response.count({ where: { comparison: { batchId } } })).toBe(3000);
      expect(await duplicatedHashes(batchId)).toBe(0);
      expect(
        await db.batchImport.findMany({ where: { batchId }, select: { imported: true, duplicates: true }, orderBy: { createdAt: "asc" } }),
      ).toEqual([
        { imported: 1000, duplicates: 0 },
        { imported: 500, duplicates: 500 },
      ]);
    });

    it("the first fails after writing 500 rows: it leaves nothing, and the second (waiting meanwhile) stores all of its own", async () => {
      const admin = await makeUser("admin");
      const batchId = await newBatch(admin);
      const before = await databaseState(batchId);
      const { first, second } = await overlappingImports(admin, batchId, { first: { from: 0, bad: true }, second: { from: 500 } });
      expect(first).toMatchObject({ importId: null, imported: 0, errorCount: 1 });
      expect(first.errors).toEqual([{ line: 1001, message: expect.stringMatching(BAD_LINE.pairwise.message) }]);
      // Lines 500–999 were in the first import's uncommitted rows: not duplicates of anything stored.
      expect(second).toMatchObject({ imported: 1000, errorCount: 0, skippedCount: 0 });
      expect(await db.comparison.count({ where: { batchId } })).toBe(1000);
      expect(await duplicatedHashes(batchId)).toBe(0);
      const after = await databaseState(batchId);
      expect(after.counts.BatchImport - before.counts.BatchImport).toBe(1);
      expect(after.counts.Comparison - before.counts.Comparison).toBe(1000);
    });

    it("the second fails: it leaves nothing, and the first keeps all of its own", async () => {
      const admin = await makeUser("admin");
      const batchId = await newBatch(admin);
      const { first, second } = await overlappingImports(admin, batchId, { first: { from: 0 }, second: { from: 500, bad: true } });
      expect(first).toMatchObject({ imported: 1000, errorCount: 0 });
      expect(second).toMatchObject({ importId: null, imported: 0, errorCount: 1 });
      expect(second.errors).toEqual([{ line: 1001, message: expect.stringMatching(BAD_LINE.pairwise.message) }]);
      expect(await db.comparison.count({ where: { batchId } })).toBe(1000);
      expect(await db.batchImport.count({ where: { batchId } })).toBe(1);
      expect(await duplicatedHashes(batchId)).toBe(0);
    });

    it("many imports at once, pairs and prompts: the batch holds each comparison once, whoever came first", async () => {
      const admin = await makeUser("admin");
      for (const format of ["pairwise", "prompts"] as const) {
        const batchId = await newBatch(admin);
        // Six files of 400 lines, each overlapping the next by 200: 1,400 different comparisons in all.
        const reports = await Promise.all(
          Array.from({ length: 6 }, (_, k) => importItems(admin, batchId, format, generatedFile(format, 400, { first: 200 * k }))),
        );
        expect(reports.reduce((sum, r) => sum + r.imported, 0)).toBe(1400);
        expect(reports.reduce((sum, r) => sum + r.imported + r.skippedCount, 0)).toBe(2400);
        expect(await db.comparison.count({ where: { batchId } })).toBe(1400);
        expect(await duplicatedHashes(batchId)).toBe(0);
      }
    });
  });
});
