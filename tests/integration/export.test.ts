// The canonical export on real Postgres: one line per judgement, the fields of exports.md, pseudonyms only.
import { describe, expect, it } from "vitest";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { prepareExport } from "@/server/exports/prepare-export";
import { AppError } from "@/server/errors";
import { pseudonymiseAnnotator } from "@/lib/pseudonym";
import { currentPseudonymSecret } from "@/server/exports/pseudonym-secret";
import { closeBatch, makeActiveBatch, makeUser } from "./fixtures";

async function collect(batches: AsyncIterable<string[]>): Promise<string> {
  let out = "";
  for await (const lines of batches) out += lines.join("");
  return out;
}

describe("canonical export", () => {
  it("streams one line per judgement with positions, safety, agreement and a pseudonymous annotator", async () => {
    const [admin, researcher] = await Promise.all([makeUser("admin"), makeUser("researcher")]);
    const annotators = await Promise.all([makeUser("annotator", "Vendor One"), makeUser("annotator", "Vendor Two")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 2, focus: "safety" });
    for (const annotator of annotators) {
      for (let i = 0; i < 2; i++) {
        const task = await claimNextTask(annotator, { batchId });
        await submitJudgement(annotator, {
          assignmentId: task!.assignmentId,
          chosen: "left",
          degree: "significantly_better",
          safety: { left: "safe", right: "unsafe" },
          idempotencyKey: `export-${annotator.id}-${i}`,
          timeSpentMs: 5000,
        });
      }
    }
    const prepared = await prepareExport(researcher, { format: "canonical", batches: batchId });
    expect(prepared.filename).toMatch(/\.canonical\.jsonl$/);
    const text = await collect(prepared.lineBatches());
    const records = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r).toMatchObject({
        schema: "pairwise.v1",
        batch: { id: batchId },
        focus: "safety",
        degree: "significantly_better",
        safety_bin: "chosen_safe_rejected_unsafe",
        time_spent_ms: 5000,
        turn_index: 0,
      });
      expect(r.context.at(-1)).toEqual({ role: "user", content: expect.stringMatching(/^Question number/) });
      expect(r.responses).toHaveLength(2);
      const chosen = r.responses.find((x: { response_id: string }) => x.response_id === r.chosen_response_id);
      expect(chosen).toMatchObject({ position: "left", is_safe: true });
      expect(r.responses.find((x: { response_id: string }) => x !== chosen)).toMatchObject({ position: "right", is_safe: false });
      expect(r.responses[0].model).toEqual({ name: "acme-chat", version: "v1" });
      expect(r.annotator).toMatch(/^ann_[0-9a-f]{16}$/);
      expect(r.agreement.n_judgements).toBe(2);
      expect(["train", "test"]).toContain(r.split);
      expect(r.content_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    const pseudonyms = new Set(records.map((r) => r.annotator));
    const secret = await currentPseudonymSecret();
    expect(pseudonyms).toEqual(new Set(annotators.map((a) => pseudonymiseAnnotator(secret, a.id))));
    expect(new Set(records.map((r) => r.vendor))).toEqual(new Set(["Vendor One", "Vendor Two"]));
    for (const a of annotators) {
      expect(text).not.toContain(a.email);
      expect(text).not.toContain(a.id);
    }
    await closeBatch(admin, batchId);
  });

  it("is refused to annotators, for unknown batches and unknown formats", async () => {
    const [annotator, researcher] = await Promise.all([makeUser("annotator"), makeUser("researcher")]);
    await expect(prepareExport(annotator, { format: "canonical", batches: "x" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "forbidden",
    );
    await expect(prepareExport(researcher, { format: "canonical", batches: "missing" })).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === "not_found",
    );
    await expect(prepareExport(researcher, { format: "parquet" })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "invalid_input");
  });
});
