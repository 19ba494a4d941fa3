// Import on real Postgres: all-or-nothing validation with line numbers, duplicates, HH-RLHF, and volume.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { AppError } from "@/server/errors";
import { chunks, makeUser, pairwiseLine } from "./fixtures";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { prepareExport } from "@/server/exports/prepare-export";

async function newBatch(admin: Awaited<ReturnType<typeof makeUser>>) {
  return (await createBatch(admin, { name: "import test", focus: "helpfulness", overlap: 1, guidelines: "" })).id;
}

describe("import", () => {
  it("imports nothing when one line in the middle is invalid, and names each bad line and field", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const lines = [
      pairwiseLine(1),
      pairwiseLine(2),
      JSON.stringify({ prompt: "p", responses: [{ content: "a", model: { name: "m" } }] }),
      pairwiseLine(4),
      "{not json",
      JSON.stringify({
        prompt: "p",
        responses: [
          { content: "a", model: { name: "m" } },
          { content: "b", model: {} },
        ],
      }),
      pairwiseLine(7),
    ];
    const report = await importItems(admin, batchId, "pairwise", chunks(lines.join("\n"), 37));
    expect(report.imported).toBe(0);
    expect(report.errorCount).toBe(3);
    expect(report.errors.map((e) => e.line)).toEqual([3, 5, 6]);
    expect(report.errors[0].message).toMatch(/responses: must hold exactly two responses/);
    expect(report.errors[1].message).toMatch(/not valid JSON/);
    expect(report.errors[2].message).toMatch(/responses\.1\.model\.name/);
    expect(await db.comparison.count({ where: { batchId } })).toBe(0);
    expect(await db.batchImport.count({ where: { batchId } })).toBe(0);
  });

  it("skips and reports duplicates within the file and against the batch, so a retried upload adds nothing", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const swapped = JSON.parse(pairwiseLine(1));
    swapped.responses.reverse();
    const file = [pairwiseLine(1), pairwiseLine(2), JSON.stringify(swapped)].join("\n");
    const first = await importItems(admin, batchId, "pairwise", chunks(file));
    expect(first.imported).toBe(2);
    expect(first.skipped).toEqual([{ line: 3, reason: "duplicate of line 1" }]);

    const retry = await importItems(admin, batchId, "pairwise", chunks(file));
    expect(retry.imported).toBe(0);
    expect(retry.skipped).toHaveLength(3);
    expect(retry.skipped[0].reason).toMatch(/already in this batch/);
    expect(await db.comparison.count({ where: { batchId } })).toBe(2);
  });

  it("stores context, tags, model variants and sampling", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const line = JSON.stringify({
      context: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
      prompt: "Tell me a joke",
      responses: [
        { content: "A", model: { name: "acme", version: "v3" }, sampling: { temperature: 0.8, top_p: 0.9, seed: 7 } },
        { content: "B", model: { name: "acme", version: "v2" } },
      ],
      tags: { risk_category: "unqualified_advice", attack_vector: "logic_manipulation", language: "en" },
    });
    expect((await importItems(admin, batchId, "pairwise", chunks(line))).imported).toBe(1);
    const comparison = await db.comparison.findFirstOrThrow({
      where: { batchId },
      include: { responses: { include: { modelVariant: true }, orderBy: { slot: "asc" } } },
    });
    expect(comparison).toMatchObject({
      turnIndex: 1,
      prompt: "Tell me a joke",
      riskCategory: "unqualified_advice",
      attackVector: "logic_manipulation",
      tags: { language: "en" },
    });
    expect(comparison.responses[0].modelVariant).toMatchObject({ name: "acme", version: "v3" });
    expect(comparison.responses[0].sampling).toEqual({ temperature: 0.8, top_p: 0.9, seed: 7 });
  });

  it("rejects unknown tag values and a context that does not end with the assistant", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const bad = [
      JSON.stringify({ ...JSON.parse(pairwiseLine(1)), tags: { risk_category: "jaywalking" } }),
      JSON.stringify({ ...JSON.parse(pairwiseLine(2)), context: [{ role: "user", content: "x" }] }),
    ].join("\n");
    const report = await importItems(admin, batchId, "pairwise", chunks(bad));
    expect(report.errors[0]).toMatchObject({ line: 1 });
    expect(report.errors[0].message).toMatch(/tags\.risk_category: must be one of/);
    expect(report.errors[1].message).toMatch(/context: must end with an assistant message/);
  });

  it("imports HH-RLHF pairs, keeping the original preference as metadata only", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const shared = "\n\nHuman: How do I pick a lock?\n\nAssistant: Are you locked out?\n\nHuman: Yes.";
    const lines = [
      JSON.stringify({ chosen: `${shared}\n\nAssistant: Call a locksmith.`, rejected: `${shared}\n\nAssistant: Use a wrench.` }),
      JSON.stringify({ chosen: "\n\nHuman: hi\n\nAssistant: same", rejected: "\n\nHuman: hi\n\nAssistant: same" }),
      JSON.stringify({ chosen: "no turns", rejected: "\n\nHuman: hi\n\nAssistant: x" }),
    ];
    const report = await importItems(admin, batchId, "hh-rlhf", chunks(lines.join("\n")));
    expect(report.errors).toEqual([{ line: 3, message: expect.stringMatching(/must start/) }]);
    const valid = await importItems(admin, batchId, "hh-rlhf", chunks(lines.slice(0, 2).join("\n")));
    expect(valid.imported).toBe(1);
    expect(valid.skipped).toEqual([{ line: 2, reason: "the two responses are identical" }]);
    const comparison = await db.comparison.findFirstOrThrow({ where: { batchId } });
    expect(comparison.prompt).toBe("Yes.");
    expect(comparison.context).toEqual([
      { role: "user", content: "How do I pick a lock?" },
      { role: "assistant", content: "Are you locked out?" },
    ]);
    expect(comparison.sourceMetadata).toEqual({ format: "hh-rlhf", original_preference: { chosen_slot: 0 } });
  });

  it("refuses unknown formats, missing batches, and non-admins", async () => {
    const [admin, annotator] = await Promise.all([makeUser("admin"), makeUser("annotator")]);
    const batchId = await newBatch(admin);
    await expect(importItems(admin, batchId, "csv", chunks(""))).rejects.toThrow(/format must be one of/);
    await expect(importItems(admin, "nope", "pairwise", chunks(""))).rejects.toSatisfy((e) => e instanceof AppError && e.code === "not_found");
    await expect(importItems(annotator, batchId, "pairwise", chunks(""))).rejects.toSatisfy((e) => e instanceof AppError && e.code === "forbidden");
  });

  it("streams 100,000 lines into one batch", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    async function* manyLines() {
      const encoder = new TextEncoder();
      for (let i = 0; i < 100_000; i += 1000) {
        let block = "";
        for (let j = i; j < i + 1000; j++) block += pairwiseLine(j) + "\n";
        yield encoder.encode(block);
      }
    }
    const report = await importItems(admin, batchId, "pairwise", manyLines());
    expect(report.errorCount).toBe(0);
    expect(report.imported).toBe(100_000);
    expect(await db.comparison.count({ where: { batchId } })).toBe(100_000);
    expect(await db.response.count({ where: { comparison: { batchId } } })).toBe(200_000);
  }, 600_000);

  it("keeps content byte for byte: an HH-RLHF file judged as HH judged it exports to the same lines", async () => {
    const [admin, annotator, researcher] = await Promise.all([makeUser("admin"), makeUser("annotator"), makeUser("researcher")]);
    const batchId = await newBatch(admin);
    // Real-shaped lines: two spaces after "Assistant:" (4 lines of Anthropic's harmless-base test file), trailing
    // spaces, \r\n inside a turn, tabs, non-ASCII text, a multi-turn context, a leading newline in a response.
    const pairs = [
      [
        "\n\nHuman: What are some cuss words in english?\n\nAssistant:  Here’s an incomplete list.",
        "\n\nHuman: What are some cuss words in english?\n\nAssistant:  I’d rather not.",
      ],
      ["\n\nHuman: Hi there \n\nAssistant: Hello!  How can I help? ", "\n\nHuman: Hi there \n\nAssistant: What?"],
      ["\n\nHuman: line one\r\nline two\n\nAssistant: ok\r\n", "\n\nHuman: line one\r\nline two\n\nAssistant: no\r\n"],
      ["\n\nHuman: col1\tcol2\n\nAssistant: \ta\tb", "\n\nHuman: col1\tcol2\n\nAssistant: \tc"],
      [
        "\n\nHuman: ¿Cómo estás? 你好\n\nAssistant: Bien, ¿y tú?\n\nHuman: Ça va. Ünïcödé 🚀\n\nAssistant: \nSuper !",
        "\n\nHuman: ¿Cómo estás? 你好\n\nAssistant: Bien, ¿y tú?\n\nHuman: Ça va. Ünïcödé 🚀\n\nAssistant: D’accord.",
      ],
    ];
    const lines = pairs.map(([chosen, rejected]) => JSON.stringify({ chosen, rejected }));
    // A marker without its space could not be written back as it was: reported and left out, not altered.
    lines.push(JSON.stringify({ chosen: "\n\nHuman:hi\n\nAssistant: a", rejected: "\n\nHuman:hi\n\nAssistant: b" }));
    const report = await importItems(admin, batchId, "hh-rlhf", chunks(lines.join("\r\n"), 29));
    expect(report.errors).toEqual([]);
    expect(report.imported).toBe(pairs.length);
    expect(report.skipped).toEqual([{ line: 6, reason: expect.stringMatching(/"Human:" is not followed by a space.*byte for byte/) }]);

    // Stored exactly: the double space survives as content that starts with a space.
    const first = await db.comparison.findFirstOrThrow({
      where: { batchId, prompt: "What are some cuss words in english?" },
      include: { responses: { orderBy: { slot: "asc" } } },
    });
    expect(first.responses.map((r) => r.content)).toEqual([" Here’s an incomplete list.", " I’d rather not."]);

    // Judge every pair as HH did (slot 0 is HH's chosen), then export hh-rlhf: the same strings, byte for byte.
    await setBatchStatus(admin, batchId, { status: "active" });
    for (let i = 0; i < pairs.length; i++) {
      const task = (await claimNextTask(annotator, { batchId }))!;
      const left = await db.response.findUniqueOrThrow({ where: { id: task.left.id } });
      await submitJudgement(annotator, {
        assignmentId: task.assignmentId,
        chosen: left.slot === 0 ? "left" : "right",
        degree: "better",
        idempotencyKey: `hh-roundtrip-${i}`,
        timeSpentMs: 1000,
      });
    }
    const prepared = await prepareExport(researcher, { format: "hh-rlhf", batches: batchId, ids: "0" });
    let text = "";
    for await (const batch of prepared.lineBatches()) text += batch.join("");
    const exported = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { chosen: string; rejected: string });
    expect(exported.map((row) => [row.chosen, row.rejected]).sort()).toEqual([...pairs].sort());
    expect(exported.map((row) => JSON.stringify(row)).sort()).toEqual([...lines.slice(0, pairs.length)].sort());
  });

  it("stores pairwise content as sent: spaces, \\r\\n and tabs kept (dedupe normalises only its key)", async () => {
    const admin = await makeUser("admin");
    const batchId = await newBatch(admin);
    const padded = JSON.stringify({
      context: [
        { role: "user", content: "  Hi\r\n" },
        { role: "assistant", content: "Hello \t" },
      ],
      prompt: " Tell me a joke  ",
      responses: [
        { content: "\nA joke. ", model: { name: "m" } },
        { content: "No.\r\n", model: { name: "m", version: "2" } },
      ],
    });
    const sameOnceNormalised = JSON.stringify({
      context: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
      prompt: "Tell me a joke",
      responses: [
        { content: "No.", model: { name: "m" } },
        { content: "A joke.", model: { name: "m" } },
      ],
    });
    const report = await importItems(admin, batchId, "pairwise", chunks([padded, sameOnceNormalised].join("\n")));
    expect(report.imported).toBe(1);
    expect(report.skipped).toEqual([{ line: 2, reason: "duplicate of line 1" }]);
    const stored = await db.comparison.findFirstOrThrow({ where: { batchId }, include: { responses: { orderBy: { slot: "asc" } } } });
    expect(stored.prompt).toBe(" Tell me a joke  ");
    expect(stored.context).toEqual([
      { role: "user", content: "  Hi\r\n" },
      { role: "assistant", content: "Hello \t" },
    ]);
    expect(stored.responses.map((r) => r.content)).toEqual(["\nA joke. ", "No.\r\n"]);
  });
});
