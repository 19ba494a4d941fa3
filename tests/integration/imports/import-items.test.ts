// Imports under hostile input (issue 9): a per-line limit, hostile characters named by field, skipped lines capped
// with a count, a client that leaves rolls back at once, and random or broken JSONL and CSV fed to every importer:
// all or nothing, never an error that is not an AppError (a 500).
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
    const report = await importItems(admin, batchId, "pairwise", chunks([pairwiseLine(1), long, pairwiseLine(3), nul, surrogate].join("\n"), 64 * 1024));
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
    for (let i = 0; i < 50 && (await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`)[0].n === 0n; i++) {
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
  fc.constantFrom('{"prompt":"a\\u0000b"}', '{"prompt":"\\udc00"}', '{"prompt":1e999}', "{", "[]", "null", '{"prompt":""}', '{"prompt":"p","responses":[1,2]}'),
);

function validLine(format: string, i: number): string {
  if (format === "prompts") return promptLine(i);
  if (format === "hh-rlhf") return JSON.stringify({ chosen: `\n\nHuman: q${i}\n\nAssistant: yes ${i}`, rejected: `\n\nHuman: q${i}\n\nAssistant: no ${i}` });
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
    const field = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"quoted, with comma"', '"unclosed', "a\u0000b", "x\ny", '""', "illicit_and_criminal_activities"));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("prompt", "prompt,risk_category", "prompt,language,note", "text", "prompt,prompt", ""),
        fc.array(fc.array(field, { maxLength: 3 }).map((fields) => fields.join(",")), { maxLength: 10 }),
        fc.integer({ min: 1, max: 200 }),
        async (header, rows, chunkSize) => expectAllOrNothing(admin, "prompts-csv", [header, ...rows].join("\n"), chunkSize),
      ),
      { numRuns: 40 },
    );
  });
});
