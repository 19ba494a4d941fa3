// The audit log on real Postgres: every admin action writes an entry (who, what, entity, before/after) in the same
// transaction as the change, and the log filters by action, actor, entity type and date range, paged.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { saveGuidelines } from "@/server/batches/save-guidelines";
import { updateBatch } from "@/server/batches/update-batch";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { importItems } from "@/server/imports/import-items";
import { createModelVariant } from "@/server/model-variants/create-model-variant";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";
import { createUser } from "@/server/users/create-user";
import { updateUser } from "@/server/users/update-user";
import { createVendor } from "@/server/vendors/create-vendor";
import { renameVendor } from "@/server/vendors/rename-vendor";
import { startGeneration } from "@/server/generation/start-generation";
import { retryFailedGeneration } from "@/server/generation/retry-failed-items";
import { stopGenerationWorkers } from "@/server/generation/run-generation-job";
import { configureModelRetries } from "@/server/model-variants/model-client";
import { listAuditEntries, listAuditFacets, AUDIT_PAGE_SIZE } from "@/server/audit/queries";
import * as auditRoute from "@/app/api/v1/audit/route";
import * as batchRoute from "@/app/api/v1/batches/[id]/route";
import { startFakeModelServer, type FakeModelServer } from "../support/fake-model-server";
import { chunks, makeUser } from "./fixtures";
import { promptLine, waitForJob } from "./generation-fixtures";
import { callRoute, expectAppError, tokenFor } from "./api-call";
import type { Actor } from "@/server/auth/permissions";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
  configureModelRetries({ retries: 0, baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(async () => {
  await stopGenerationWorkers();
  await server.close();
  configureModelRetries({ retries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 });
});

const tag = () => randomUUID().slice(0, 8);

/** Every admin action of the console, once, by `admin`; returns the ids it touched. */
async function doEverything(admin: Actor) {
  const { id: batchId } = await createBatch(admin, { name: `Audited ${tag()}`, focus: "safety", overlap: 1, guidelines: "v1" });
  await saveGuidelines(admin, batchId, { markdown: "v2" });
  await updateBatch(admin, batchId, {
    name: "Audited, renamed",
    riskCategories: ["unqualified_advice"],
    attackVectors: ["logic_manipulation", "other"],
  });
  const variantA = await createModelVariant(admin, { name: `audited-${tag()}`, baseUrl: server.url, modelId: "audited-a" });
  const variantB = await createModelVariant(admin, { name: `audited-${tag()}`, baseUrl: server.url, modelId: "audited-b" });
  await updateModelVariant(admin, variantB.id, { temperatureMin: 0.5, temperatureMax: 1 });
  await setBatchModelVariants(admin, batchId, { modelVariantIds: [variantA.id, variantB.id] });
  await importItems(admin, batchId, "prompts", chunks([promptLine(1), promptLine(2)].join("\n")));
  // Generation: the first run fails every item, the retry succeeds.
  server.fail(500, Infinity);
  const job = await startGeneration(admin, batchId);
  expect((await waitForJob(job.id)).status).toBe("failed");
  server.reset();
  await retryFailedGeneration(admin, batchId);
  expect((await waitForJob(job.id)).status).toBe("done");
  await setBatchStatus(admin, batchId, { status: "active" });
  await setBatchStatus(admin, batchId, { status: "closed" });

  const vendor = await createVendor(admin, { name: `Audited vendor ${tag()}` });
  await renameVendor(admin, vendor.id, { name: `${vendor.name} (renamed)` });
  const user = await createUser(admin, { email: `audited-${tag()}@test.pairwise`, role: "annotator", password: "long enough" });
  await updateUser(admin, user.id, { role: "researcher" });
  await updateUser(admin, user.id, { vendor: `${vendor.name} (renamed)` });
  await updateUser(admin, user.id, { active: false });
  await updateUser(admin, user.id, { active: true });
  return { batchId, variantA, variantB, vendor, user, jobId: job.id };
}

describe("audit log", () => {
  it("records every admin action with who, what, the entity and before/after", async () => {
    const admin = await makeUser("admin");
    const ids = await doEverything(admin);
    const { entries } = await listAuditEntries(admin, { actor: admin.email });
    const byAction = (action: string) => entries.filter((e) => e.action === action);
    expect(new Set(entries.map((e) => e.action))).toEqual(
      new Set([
        "batch.create",
        "batch.guidelines",
        "batch.update",
        "model_variant.create",
        "model_variant.update",
        "batch.model_variants",
        "batch.import",
        "generation.start",
        "generation.retry",
        "batch.status",
        "vendor.create",
        "vendor.rename",
        "user.create",
        "user.role",
        "user.vendor",
        "user.deactivate",
        "user.reactivate",
      ]),
    );
    for (const entry of entries) expect(entry.actor).toEqual({ id: admin.id, email: admin.email, name: admin.name });

    expect(byAction("batch.create")[0]).toMatchObject({
      entityType: "batch",
      entityId: ids.batchId,
      before: null,
      after: { focus: "safety", guidelinesVersion: 1 },
    });
    expect(byAction("batch.guidelines")[0]).toMatchObject({ before: { version: 1, markdown: "v1" }, after: { version: 2, markdown: "v2" } });
    expect(byAction("batch.update")[0]).toMatchObject({
      before: {
        name: expect.stringMatching(/^Audited /),
        riskCategories: ["illicit_and_criminal_activities", "hateful_and_harmful_activities", "unqualified_advice"],
      },
      after: { name: "Audited, renamed", riskCategories: ["unqualified_advice"], attackVectors: ["logic_manipulation", "other"] },
    });
    expect(byAction("batch.model_variants")[0]).toMatchObject({
      before: { modelVariantIds: [] },
      after: { modelVariantIds: [ids.variantA.id, ids.variantB.id] },
    });
    expect(byAction("model_variant.update")[0]).toMatchObject({
      entityId: ids.variantB.id,
      before: { temperatureMin: null },
      after: { temperatureMin: 0.5, temperatureMax: 1 },
    });
    expect(byAction("batch.status").map((e) => [e.before, e.after])).toEqual([
      [{ status: "active" }, { status: "closed" }],
      [{ status: "draft" }, { status: "active" }],
    ]);
    expect(byAction("generation.start")[0]).toMatchObject({ entityId: ids.batchId, after: { jobId: ids.jobId, total: 2 } });
    expect(byAction("generation.retry")[0]).toMatchObject({ before: { jobId: ids.jobId, failed: 2 }, after: { retried: 2 } });
    expect(byAction("vendor.rename")[0]).toMatchObject({
      entityId: ids.vendor.id,
      before: { name: ids.vendor.name },
      after: { name: `${ids.vendor.name} (renamed)` },
    });
    expect(byAction("user.role")[0]).toMatchObject({ entityId: ids.user.id, before: { role: "annotator" }, after: { role: "researcher" } });
    expect(byAction("user.vendor")[0]).toMatchObject({ before: { vendor: null }, after: { vendor: `${ids.vendor.name} (renamed)` } });
    expect(byAction("user.deactivate")[0]).toMatchObject({
      entityId: ids.user.id,
      before: { active: true },
      after: { active: false, email: ids.user.email },
    });
    expect(byAction("user.reactivate")[0]).toMatchObject({ before: { active: false }, after: { active: true } });

    // Writes that change nothing record nothing.
    const before = await db.auditEntry.count();
    await updateUser(admin, ids.user.id, { role: "researcher" });
    await renameVendor(admin, ids.vendor.id, { name: `${ids.vendor.name} (renamed)` });
    expect(await db.auditEntry.count()).toBe(before);
  });

  it("filters by action, actor (email or id), entity type and date range, newest first, paged", async () => {
    const admin = await makeUser("admin");
    const other = await makeUser("admin");
    const ids = await doEverything(admin);
    await createVendor(other, { name: `Someone else's ${tag()}` });

    const deactivations = await listAuditEntries(admin, { action: "user.deactivate", actor: admin.email });
    expect(deactivations.entries.map((e) => e.entityId)).toEqual([ids.user.id]);
    expect((await listAuditEntries(admin, { action: "user.deactivate", actor: admin.id })).total).toBe(1);
    expect((await listAuditEntries(admin, { action: "user.deactivate", actor: other.email })).total).toBe(0);

    const vendors = await listAuditEntries(admin, { entityType: "vendor", actor: admin.email });
    expect(vendors.entries.map((e) => e.action)).toEqual(["vendor.rename", "vendor.create"]);
    const oneBatch = await listAuditEntries(admin, { entityType: "batch", entityId: ids.batchId });
    expect(oneBatch.entries.every((e) => e.entityId === ids.batchId)).toBe(true);
    expect(oneBatch.total).toBe(9);
    const times = oneBatch.entries.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const mine = await listAuditEntries(admin, { actor: admin.email });
    const firstDay = mine.entries.at(-1)!.createdAt.slice(0, 10);
    const lastDay = mine.entries[0].createdAt.slice(0, 10);
    const tomorrow = new Date(Date.parse(lastDay) + 86_400_000).toISOString().slice(0, 10);
    // A bare `to` date includes that whole day.
    expect((await listAuditEntries(admin, { actor: admin.email, from: firstDay, to: lastDay })).total).toBe(mine.total);
    expect((await listAuditEntries(admin, { actor: admin.email, from: tomorrow })).total).toBe(0);
    expect((await listAuditEntries(admin, { actor: admin.email, to: "2000-01-01" })).total).toBe(0);
    expect((await listAuditEntries(admin, { actor: admin.email, from: new Date(Date.now() - 3_600_000).toISOString() })).total).toBe(mine.total);
    await expectAppError(listAuditEntries(admin, { from: "last week" }), "invalid_input", /from: must be a date/);

    // Pages of 50; a page past the end shows the last one.
    const all = await listAuditEntries(admin, {});
    expect(all.pageSize).toBe(AUDIT_PAGE_SIZE);
    expect(all.pages).toBe(Math.max(1, Math.ceil(all.total / AUDIT_PAGE_SIZE)));
    expect((await listAuditEntries(admin, { page: 10_000 })).page).toBe(all.pages);

    const facets = await listAuditFacets(admin);
    expect(facets.actions).toEqual(expect.arrayContaining(["user.deactivate", "batch.guidelines", "vendor.rename"]));
    expect(facets.entityTypes).toEqual(expect.arrayContaining(["batch", "user", "vendor", "model_variant"]));
    expect(facets.actors.map((a) => a.email)).toEqual(expect.arrayContaining([admin.email, other.email]));

    const api = await callRoute(auditRoute.GET, await tokenFor(admin), { query: { action: "user.deactivate", actor: admin.email } });
    expect(api.status).toBe(200);
    expect(api.json).toMatchObject({
      total: 1,
      entries: [{ action: "user.deactivate", entityId: ids.user.id, before: { active: true }, after: { active: false } }],
    });
  });

  it("pages of 50 over rows this test makes itself: every entry once, newest first across pages, the last page partial", async () => {
    const pager = await makeUser("admin");
    const made = 2 * AUDIT_PAGE_SIZE + 7;
    for (let i = 0; i < made; i++) await createVendor(pager, { name: `Paged ${i} ${tag()}` });
    const expected = (await db.auditEntry.findMany({ where: { actorId: pager.id }, select: { id: true, createdAt: true } }))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((e) => e.id);
    expect(expected).toHaveLength(made);

    const pages = [1, 2, 3].map((page) => listAuditEntries(pager, { actor: pager.email, page }));
    const [first, second, third] = await Promise.all(pages);
    for (const page of [first, second, third]) expect(page).toMatchObject({ total: made, pages: 3, pageSize: AUDIT_PAGE_SIZE });
    expect([first.page, second.page, third.page]).toEqual([1, 2, 3]);
    expect([first.entries.length, second.entries.length, third.entries.length]).toEqual([50, 50, 7]);
    expect([...first.entries, ...second.entries, ...third.entries].map((e) => e.id)).toEqual(expected);
    // A page past the end is the last one; page 1 of a filter that matches nothing is empty, with one page.
    expect((await listAuditEntries(pager, { actor: pager.email, page: 4 })).entries.map((e) => e.id)).toEqual(third.entries.map((e) => e.id));
    expect(await listAuditEntries(pager, { actor: pager.email, action: "user.deactivate" })).toMatchObject({
      total: 0,
      pages: 1,
      page: 1,
      entries: [],
    });
  });

  it("PATCH /api/v1/batches/{id} edits the safety lists (at least one each, safety batches only) and the name", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const { id: safety } = await createBatch(admin, { name: `Lists ${tag()}`, focus: "safety", overlap: 1 });
    const { id: helpful } = await createBatch(admin, { name: `Plain ${tag()}`, focus: "helpfulness", overlap: 1 });
    const defaults = await callRoute(batchRoute.GET, token, { params: { id: safety } });
    expect(defaults.json).toMatchObject({
      riskCategories: ["illicit_and_criminal_activities", "hateful_and_harmful_activities", "unqualified_advice"],
    });
    expect((defaults.json.attackVectors as string[]).length).toBe(7);

    const patched = await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: safety }, body: { attackVectors: ["non_english"] } });
    expect(patched.json).toMatchObject({
      attackVectors: ["non_english"],
      riskCategories: ["illicit_and_criminal_activities", "hateful_and_harmful_activities", "unqualified_advice"],
    });
    const empty = await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: safety }, body: { riskCategories: [] } });
    expect(empty.status).toBe(400);
    expect(empty.json).toMatchObject({ error: { message: expect.stringMatching(/riskCategories: needs at least one risk category/) } });
    const unknown = await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: safety }, body: { riskCategories: ["spam"] } });
    expect(unknown.status).toBe(400);
    const notSafety = await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: helpful }, body: { attackVectors: ["other"] } });
    expect(notSafety.status).toBe(400);
    expect((await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: helpful }, body: { name: "Renamed" } })).json).toMatchObject({
      name: "Renamed",
    });
    expect((await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: helpful }, body: { focus: "safety" } })).status).toBe(400);
    expect((await callRoute(batchRoute.PATCH, token, { method: "PATCH", params: { id: "missing" }, body: { name: "x" } })).status).toBe(404);
    const audit = await db.auditEntry.findMany({ where: { entityId: safety, action: "batch.update" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ before: { attackVectors: expect.arrayContaining(["other"]) }, after: { attackVectors: ["non_english"] } });
  });
});
