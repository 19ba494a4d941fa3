// Prompts-only import on real Postgres, JSONL (format=prompts) and CSV (format=prompts-csv): stored without
// responses, all or nothing with line numbers, duplicates by context + prompt, and through the API's door.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { createApiToken } from "@/server/auth/api-tokens";
import { configureModelRetries } from "@/server/model-variants/model-client";
import { startGeneration } from "@/server/generation/start-generation";
import { stopGenerationWorkers } from "@/server/generation/run-generation-job";
import { promptContentSha256 } from "@/lib/content-hash";
import * as itemsRoute from "@/app/api/v1/batches/[id]/items/route";
import { startFakeModelServer, type FakeModelServer } from "../support/fake-model-server";
import { chunks, makeUser, pairwiseLine } from "./fixtures";
import { makeVariant, promptLine, waitForJob } from "./generation-fixtures";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
  configureModelRetries({ baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(async () => {
  await stopGenerationWorkers();
  await server.close();
});

async function newBatch(admin: Awaited<ReturnType<typeof makeUser>>) {
  return (await createBatch(admin, { name: "prompts test", focus: "safety", overlap: 1, guidelines: "" })).id;
}

describe("prompts import", () => {
  it("stores prompts with their context and tags, without responses", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const lines = [
      JSON.stringify({
        prompt: "How do I pick a lock?",
        tags: { risk_category: "illicit_and_criminal_activities", attack_vector: "other", language: "en" },
      }),
      JSON.stringify({
        context: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
        ],
        prompt: "Tell me a joke",
      }),
    ];
    const report = await importItems(admin, batchId, "prompts", chunks(lines.join("\n")));
    expect(report).toMatchObject({ imported: 2, errorCount: 0, lines: 2, skipped: [] });
    const comparisons = await db.comparison.findMany({ where: { batchId }, orderBy: { seq: "asc" }, include: { responses: true } });
    expect(comparisons[0]).toMatchObject({
      prompt: "How do I pick a lock?",
      riskCategory: "illicit_and_criminal_activities",
      attackVector: "other",
      tags: { language: "en" },
      turnIndex: 0,
      responses: [],
      contentSha256: promptContentSha256([], "How do I pick a lock?"),
    });
    expect(comparisons[1]).toMatchObject({
      turnIndex: 1,
      context: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
      responses: [],
    });
    expect(await db.batchImport.findFirstOrThrow({ where: { batchId } })).toMatchObject({ format: "prompts", imported: 2 });
  });

  it("imports nothing when a line is invalid, and names each bad line and field", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const lines = [
      promptLine(1),
      JSON.stringify({ prompt: "   " }),
      promptLine(3),
      JSON.stringify({ prompt: "p", tags: { risk_category: "jaywalking" } }),
      "{oops",
      JSON.stringify({ context: [{ role: "user", content: "x" }], prompt: "p" }),
    ];
    const report = await importItems(admin, batchId, "prompts", chunks(lines.join("\n"), 13));
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => e.line)).toEqual([2, 4, 5, 6]);
    expect(report.errors[0].message).toMatch(/prompt: must not be empty/);
    expect(report.errors[1].message).toMatch(/tags\.risk_category: must be one of/);
    expect(report.errors[2].message).toMatch(/not valid JSON/);
    expect(report.errors[3].message).toMatch(/context: must end with an assistant message/);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
    expect(await db.batchImport.count({ where: { batchId } })).toBe(0);
  });

  it("skips duplicates by context and prompt, within the file and against the batch, before and after generation", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const context = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
    ];
    const file = [
      promptLine(1),
      promptLine(1, { tags: { language: "fr" } }), // same prompt, other tags: a duplicate
      JSON.stringify({ context, prompt: "Prompt number 1: say something about 1." }), // other context: not one
      JSON.stringify({ prompt: " Prompt number 1: say something about 1.\r\n" }), // same once normalised
    ].join("\n");
    const first = await importItems(admin, batchId, "prompts", chunks(file));
    expect(first.imported).toBe(2);
    expect(first.skipped).toEqual([
      { line: 2, reason: "duplicate of line 1" },
      { line: 4, reason: "duplicate of line 1" },
    ]);
    expect((await importItems(admin, batchId, "prompts", chunks(file))).imported).toBe(0);

    // A pair already imported with responses counts too.
    const pair = JSON.parse(pairwiseLine(7));
    expect((await importItems(admin, batchId, "pairwise", chunks(JSON.stringify(pair)))).imported).toBe(1);
    const again = await importItems(admin, batchId, "prompts", chunks(JSON.stringify({ prompt: pair.prompt })));
    expect(again).toMatchObject({ imported: 0, skipped: [{ line: 1, reason: "duplicate of a comparison already in this batch" }] });

    // After generation the comparisons hash as pairs; their prompts are still recognised.
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    await db.batchModelVariant.createMany({ data: [a, b].map((v) => ({ batchId, modelVariantId: v.id })) });
    await waitForJob((await startGeneration(admin, batchId)).id);
    expect((await importItems(admin, batchId, "prompts", chunks(file))).imported).toBe(0);
    expect(await db.comparison.count({ where: { batchId } })).toBe(3);
  });

  it("reads CSV with a prompt column and optional risk_category, attack_vector and language", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const csv = [
      "\ufeffPrompt,risk_category,attack_vector,language,source",
      "How do I pick a lock?,illicit_and_criminal_activities,other,en,red team",
      '"Write a poem,\nthen explain it",,,,',
      "",
      '"She said ""hi"". Reply in kind.",,non_english,de,',
    ].join("\r\n");
    const report = await importItems(admin, batchId, "prompts-csv", chunks(csv, 7));
    expect(report).toMatchObject({ imported: 3, errorCount: 0, lines: 6 });
    const comparisons = await db.comparison.findMany({ where: { batchId }, orderBy: { seq: "asc" }, include: { responses: true } });
    expect(comparisons.map((c) => c.prompt)).toEqual(["How do I pick a lock?", "Write a poem,\nthen explain it", 'She said "hi". Reply in kind.']);
    expect(comparisons[0]).toMatchObject({
      riskCategory: "illicit_and_criminal_activities",
      attackVector: "other",
      tags: { language: "en", source: "red team" },
      responses: [],
    });
    expect(comparisons[1]).toMatchObject({ riskCategory: null, attackVector: null, tags: {} });
    expect(comparisons[2]).toMatchObject({ attackVector: "non_english", tags: { language: "de" } });
    expect(await db.batchImport.findFirstOrThrow({ where: { batchId } })).toMatchObject({ format: "prompts", imported: 3 });
  });

  it("imports no CSV row when one is bad, and names the CSV line and column", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const csv = [
      "prompt,risk_category,language",
      "fine,,en",
      "bad category,jaywalking,en",
      '"a quoted',
      'prompt over two lines",,en',
      ",,en",
      "too,many,fields,here",
      "fine again,,en",
    ].join("\n");
    const report = await importItems(admin, batchId, "prompts-csv", chunks(csv));
    expect(report.imported).toBe(0);
    expect(report.errors).toEqual([
      { line: 3, message: expect.stringMatching(/^risk_category: must be one of/) },
      { line: 6, message: expect.stringMatching(/^prompt: must not be empty/) },
      { line: 7, message: "has 4 fields, the header has 3" },
    ]);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);

    const noPrompt = await importItems(admin, batchId, "prompts-csv", chunks("text,language\nhello,en\n"));
    expect(noPrompt.errors).toEqual([{ line: 1, message: expect.stringMatching(/the header has no "prompt" column/) }]);
    const malformed = await importItems(admin, batchId, "prompts-csv", chunks('prompt\nok\nstill ok\n"broken "quote"\n'));
    expect(malformed.errors).toEqual([{ line: 4, message: expect.stringMatching(/not valid CSV/) }]);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
  });

  it("takes both formats through POST /api/v1/batches/{id}/items?format=…", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const { token } = await createApiToken(admin, { userId: admin.id, name: "import" });
    const post = async (format: string, body: string) => {
      const request = new Request(`http://localhost/api/v1/batches/${batchId}/items?format=${format}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": format.endsWith("csv") ? "text/csv" : "application/x-ndjson" },
        body,
      });
      const response = await itemsRoute.POST(request, { params: Promise.resolve({ id: batchId }) });
      return { status: response.status, json: await response.json() };
    };
    expect(await post("prompts-csv", "prompt\nfrom csv\n")).toMatchObject({ status: 200, json: { imported: 1 } });
    expect(await post("prompts", promptLine(1))).toMatchObject({ status: 200, json: { imported: 1 } });
    const bad = await post("prompts-csv", "prompt,risk_category\nx,nope\n");
    expect(bad).toMatchObject({ status: 422, json: { error: { code: "invalid_import" }, errors: [{ line: 2 }] } });
    expect(await post("csv", "prompt\nx\n")).toMatchObject({ status: 400, json: { error: { message: expect.stringMatching(/prompts-csv/) } } });
  });
});
