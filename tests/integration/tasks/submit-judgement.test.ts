// One idempotency key sent for two assignments at the same moment (issue 9: it gave a 500; one after the other, 409).
import { describe, expect, it } from "vitest";
import * as judgementsRoute from "@/app/api/v1/judgements/route";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { closeBatch, makeActiveBatch, makeUser } from "../fixtures";
import { callRoute, tokenFor } from "../api-call";

describe("submitJudgement under a reused key", () => {
  it("answers one 200 and one 409, never a 500, when one key names two assignments at once", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator", "Key vendor");
    const token = await tokenFor(annotator);
    const batches = [await makeActiveBatch(admin, { comparisons: 1, overlap: 1 }), await makeActiveBatch(admin, { comparisons: 1, overlap: 1 })];
    const tasks = [await claimNextTask(annotator, { batchId: batches[0] }), await claimNextTask(annotator, { batchId: batches[1] })];
    const ids = tasks.map((t) => t!.assignmentId);
    expect(new Set(ids).size).toBe(2);
    const key = `same-key-${Date.now()}`;
    const answers = await Promise.all(
      ids.map((assignmentId) =>
        callRoute(judgementsRoute.POST, token, { method: "POST", body: { assignmentId, chosen: "left", degree: "better", idempotencyKey: key, timeSpentMs: 1000 } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    for (const batchId of batches) await closeBatch(admin, batchId);
  });
});
