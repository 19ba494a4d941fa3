// Saving a dataset on real Postgres while a judgement is being committed: a judgement is stamped with the start of
// its transaction, so one begun before the cutoff and committed after the save read its rows would be missing from
// the saved bytes and present in every later download. The save waits for such transactions: the judgement is in
// the dataset, and downloads match the manifest.
import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { SUBMIT } from "@/server/tasks/submit-judgement";
import { createDataset, CUTOFF_FENCE_MS } from "@/server/datasets/create-dataset";
import { openDatasetDownload } from "@/server/datasets/queries";
import { closeBatch, makeActiveBatch, makeUser, readAll } from "../fixtures";

describe("saving a dataset", () => {
  it("waits for a judgement whose transaction began before the cutoff, so its downloads keep the saved bytes", async () => {
    const [admin, researcher, annotator] = await Promise.all([makeUser("admin"), makeUser("researcher"), makeUser("annotator")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const task = (await claimNextTask(annotator, { batchId }))!;

    // The submit as submitJudgement sends it, in a transaction whose commit is held back (a slow commit).
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    let committedAt = 0;
    try {
      await client.query("BEGIN");
      await client.query(SUBMIT.text, [annotator.id, annotator.vendorId, task.assignmentId, randomUUID(), "left", "better", null, null, null, 1000]);
      const saving = createDataset(researcher, {
        name: `Fenced ${randomUUID().slice(0, 8)}`,
        format: "canonical",
        filters: { batches: [batchId] },
      }).then((saved) => ({
        saved,
        at: Date.now(),
      }));
      await sleep(400);
      const [{ commitAt }] = (await client.query<{ commitAt: Date }>(`SELECT clock_timestamp() AS "commitAt"`)).rows;
      committedAt = Date.now();
      await client.query("COMMIT");
      const { saved, at } = await saving;
      // The interleaving happened: the save fixed its cutoff while the judgement was still uncommitted…
      expect(new Date(saved.manifest.cutoff).getTime()).toBeLessThan(commitAt.getTime());
      // …and it finished only after the commit (it waited), holding the judgement stamped before its cutoff.
      expect(at).toBeGreaterThanOrEqual(committedAt);
      // It went on when the transaction ended, not when its wait ran out.
      expect(at - committedAt).toBeLessThan(CUTOFF_FENCE_MS);
      expect(saved.manifest.counts.rows).toBe(1);
      const bytes = await readAll((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(saved.manifest.download.sha256);
      expect(JSON.parse(bytes.toString("utf8"))).toMatchObject({ degree: "better", chosen_response_id: task.left.id });
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end();
      await closeBatch(admin, batchId);
    }
  });
});
