// Every server function of the console checks its named permission itself: annotators and researchers are
// refused every write and every people/vendor/audit read; annotators also every batch read. The API routes
// answer 401 without a valid token and 403 for those roles.
import { describe, expect, it } from "vitest";
import { saveGuidelines } from "@/server/batches/save-guidelines";
import { updateBatch } from "@/server/batches/update-batch";
import { getBatch, getComparisonPreview, listBatches, listBatchItems } from "@/server/batches/queries";
import { createUser } from "@/server/users/create-user";
import { updateUser } from "@/server/users/update-user";
import { getUser, listUsers } from "@/server/users/queries";
import { createVendor } from "@/server/vendors/create-vendor";
import { renameVendor } from "@/server/vendors/rename-vendor";
import { listVendors } from "@/server/vendors/queries";
import { listAuditEntries, listAuditFacets } from "@/server/audit/queries";
import * as batchesRoute from "@/app/api/v1/batches/route";
import * as batchRoute from "@/app/api/v1/batches/[id]/route";
import * as itemsRoute from "@/app/api/v1/batches/[id]/items/route";
import * as guidelinesRoute from "@/app/api/v1/batches/[id]/guidelines/route";
import * as usersRoute from "@/app/api/v1/users/route";
import * as userRoute from "@/app/api/v1/users/[id]/route";
import * as vendorsRoute from "@/app/api/v1/vendors/route";
import * as vendorRoute from "@/app/api/v1/vendors/[id]/route";
import * as auditRoute from "@/app/api/v1/audit/route";
import type { Actor } from "@/server/auth/permissions";
import { closeBatch, makeActiveBatch, makeUser } from "./fixtures";
import { callRoute, expectAppError, tokenFor } from "./api-call";

describe("console permissions", () => {
  it("refuses annotators and researchers in every new server function", async () => {
    const [admin, annotator, researcher] = await Promise.all([makeUser("admin"), makeUser("annotator"), makeUser("researcher")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const [item] = (await listBatchItems(admin, batchId)).items;
    const vendor = await createVendor(admin, { name: `Perm vendor ${Date.now()}` });

    const writes = (actor: Actor) => [
      saveGuidelines(actor, batchId, { markdown: "no" }),
      updateBatch(actor, batchId, { name: "no" }),
      createUser(actor, { email: `nope-${Date.now()}@test.pairwise`, role: "admin", password: "long enough" }),
      updateUser(actor, admin.id, { active: false }),
      createVendor(actor, { name: "no" }),
      renameVendor(actor, vendor.id, { name: "no" }),
    ];
    const peopleReads = (actor: Actor) => [
      listUsers(actor),
      getUser(actor, admin.id),
      listVendors(actor),
      listAuditEntries(actor, {}),
      listAuditFacets(actor),
    ];
    const batchReads = (actor: Actor) => [
      listBatches(actor),
      getBatch(actor, batchId),
      listBatchItems(actor, batchId),
      getComparisonPreview(actor, batchId, item.id),
    ];

    for (const actor of [annotator, researcher]) {
      for (const call of [...writes(actor), ...peopleReads(actor)]) await expectAppError(call, "forbidden");
    }
    for (const call of batchReads(annotator)) await expectAppError(call, "forbidden", /batches\.read/);
    // Researchers read batches (the exports page lists them), nothing more.
    for (const call of batchReads(researcher)) await expect(call).resolves.toBeTruthy();
    await expectAppError(listAuditEntries(researcher, {}), "forbidden", /audit\.read/);
    await expectAppError(updateUser(annotator, annotator.id, { role: "admin" }), "forbidden", /users\.write/);
    await expectAppError(saveGuidelines(null as unknown as Actor, batchId, { markdown: "x" }), "unauthenticated");
    await closeBatch(admin, batchId);
  });

  it("answers 401 without a valid token and 403 to roles without the permission on every new route", async () => {
    const [admin, annotator, researcher] = await Promise.all([makeUser("admin"), makeUser("annotator"), makeUser("researcher")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const vendor = await createVendor(admin, { name: `Route vendor ${Date.now()}` });
    const id = { id: batchId };
    const routes = [
      { handler: batchesRoute.GET, options: {}, researcher: true },
      { handler: batchRoute.GET, options: { params: id }, researcher: true },
      { handler: itemsRoute.GET, options: { params: id }, researcher: true },
      { handler: batchRoute.PATCH, options: { method: "PATCH", params: id, body: { name: "no" } }, researcher: false },
      { handler: guidelinesRoute.PUT, options: { method: "PUT", params: id, body: { markdown: "no" } }, researcher: false },
      { handler: usersRoute.GET, options: {}, researcher: false },
      { handler: usersRoute.POST, options: { method: "POST", body: { email: "x@test.pairwise", role: "admin" } }, researcher: false },
      { handler: userRoute.GET, options: { params: { id: admin.id } }, researcher: false },
      { handler: userRoute.PATCH, options: { method: "PATCH", params: { id: admin.id }, body: { active: false } }, researcher: false },
      { handler: vendorsRoute.GET, options: {}, researcher: false },
      { handler: vendorsRoute.POST, options: { method: "POST", body: { name: "no" } }, researcher: false },
      { handler: vendorRoute.PATCH, options: { method: "PATCH", params: { id: vendor.id }, body: { name: "no" } }, researcher: false },
      { handler: auditRoute.GET, options: {}, researcher: false },
    ] as const;
    const [annotatorToken, researcherToken, adminToken] = await Promise.all([tokenFor(annotator), tokenFor(researcher), tokenFor(admin)]);
    for (const route of routes) {
      const handler = route.handler as Parameters<typeof callRoute>[0];
      expect((await callRoute(handler, null, route.options)).status).toBe(401);
      const asAnnotator = await callRoute(handler, annotatorToken, route.options);
      expect(asAnnotator.status).toBe(403);
      expect(asAnnotator.json).toMatchObject({ error: { code: "forbidden" } });
      expect((await callRoute(handler, researcherToken, route.options)).status).toBe(route.researcher ? 200 : 403);
    }
    expect((await callRoute(auditRoute.GET, adminToken)).status).toBe(200);
    await closeBatch(admin, batchId);
  });
});
