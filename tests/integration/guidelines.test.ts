// Guidelines versioning on real Postgres: saving makes a new version and leaves the old one as it was; a judgement
// records the version shown on screen, i.e. the latest version when the task was CLAIMED, even if a newer one was
// saved before the judgement was submitted.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { saveGuidelines } from "@/server/batches/save-guidelines";
import { getBatch } from "@/server/batches/queries";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import * as guidelinesRoute from "@/app/api/v1/batches/[id]/guidelines/route";
import { closeBatch, makeActiveBatch, makeUser } from "./fixtures";
import { callRoute, expectAppError, tokenFor } from "./api-call";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function judgement(assignmentId: string, key: string) {
  return { assignmentId, chosen: "left", degree: "better", idempotencyKey: `guidelines-${key}`, timeSpentMs: 1000 };
}

describe("guidelines versions", () => {
  it("saving makes version 2 and leaves version 1 exactly as it was; the same text again adds nothing", async () => {
    const admin = await makeUser("admin");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const v1 = await db.guidelineVersion.findUniqueOrThrow({ where: { batchId_version: { batchId, version: 1 } } });

    const saved = await saveGuidelines(admin, batchId, { markdown: "# Guidelines v2\nPrefer **honest** answers." });
    expect(saved).toMatchObject({ batchId, version: 2, created: true });
    expect(await db.guidelineVersion.findUniqueOrThrow({ where: { id: v1.id } })).toEqual(v1);

    const again = await saveGuidelines(admin, batchId, { markdown: "# Guidelines v2\nPrefer **honest** answers." });
    expect(again).toMatchObject({ version: 2, created: false, id: saved.id });
    expect(await db.guidelineVersion.count({ where: { batchId } })).toBe(2);

    const batch = await getBatch(admin, batchId);
    expect(batch.guidelines).toMatchObject({ version: 2, markdown: "# Guidelines v2\nPrefer **honest** answers." });
    expect(batch.guidelineVersions.map((v) => v.version)).toEqual([2, 1]);
    expect(batch.guidelineVersions[1].markdown).toBe(v1.markdown);

    const audit = await db.auditEntry.findMany({ where: { entityId: batchId, action: "batch.guidelines" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, before: { version: 1, markdown: v1.markdown }, after: { version: 2 } });

    await closeBatch(admin, batchId);
    await expectAppError(saveGuidelines(admin, batchId, { markdown: "too late" }), "conflict", /closed/);
    await expectAppError(saveGuidelines(admin, "no-such-batch", { markdown: "x" }), "not_found");
    await expectAppError(saveGuidelines(admin, batchId, { markdown: 42 }), "invalid_input", /markdown/);
  });

  it("a judgement records the version in force when its task was claimed: shown on screen, kept on reload", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 1 });
    const v1 = await db.guidelineVersion.findUniqueOrThrow({ where: { batchId_version: { batchId, version: 1 } } });

    const first = (await claimNextTask(annotator, { batchId }))!;
    expect(first.guidelines).toMatchObject({ versionId: v1.id, version: 1 });
    await pause(5); // a version saved in the same millisecond as a claim counts as in force at that claim
    const v2 = await saveGuidelines(admin, batchId, { markdown: "# New rules\nChanged while the task was open." });

    // A reload of the open task shows the same version it was claimed under…
    const reloaded = (await claimNextTask(annotator, { batchId }))!;
    expect(reloaded.assignmentId).toBe(first.assignmentId);
    expect(reloaded.guidelines.version).toBe(1);
    // …and the judgement records it, not the newer one.
    const judged = await submitJudgement(annotator, judgement(first.assignmentId, "first"));
    expect(judged.guidelineVersionId).toBe(v1.id);

    // The next task is claimed under version 2, and recorded so.
    const second = (await claimNextTask(annotator, { batchId }))!;
    expect(second.guidelines).toMatchObject({ versionId: v2.id, version: 2 });
    expect((await submitJudgement(annotator, judgement(second.assignmentId, "second"))).guidelineVersionId).toBe(v2.id);

    const perVersion = (await getBatch(admin, batchId)).guidelineVersions.map((v) => [v.version, v.judgements]);
    expect(perVersion).toEqual([
      [2, 1],
      [1, 1],
    ]);
    await closeBatch(admin, batchId);
  });

  it("PUT /api/v1/batches/{id}/guidelines makes a new version for admins only", async () => {
    const [admin, researcher, annotator] = await Promise.all([makeUser("admin"), makeUser("researcher"), makeUser("annotator")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const created = await callRoute(guidelinesRoute.PUT, await tokenFor(admin), {
      method: "PUT",
      params: { id: batchId },
      body: { markdown: "via the API" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ version: 2, created: true });
    const same = await callRoute(guidelinesRoute.PUT, await tokenFor(admin), {
      method: "PUT",
      params: { id: batchId },
      body: { markdown: "via the API" },
    });
    expect(same.status).toBe(200);
    for (const actor of [researcher, annotator]) {
      const refused = await callRoute(guidelinesRoute.PUT, await tokenFor(actor), {
        method: "PUT",
        params: { id: batchId },
        body: { markdown: "no" },
      });
      expect(refused.status).toBe(403);
    }
    expect((await callRoute(guidelinesRoute.PUT, null, { method: "PUT", params: { id: batchId }, body: { markdown: "no" } })).status).toBe(401);
    expect(await db.guidelineVersion.count({ where: { batchId } })).toBe(2);
    await closeBatch(admin, batchId);
  });
});
