// People on real Postgres: creating users (typed or generated password), changing role and vendor, deactivating
// (sign-in and API tokens refused at once) and reactivating; vendors created, renamed and counted.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { verifyCredentials } from "@/server/auth/options";
import { actorFromApiToken, createApiToken } from "@/server/auth/api-tokens";
import { toActor } from "@/server/auth/actor";
import { createUser } from "@/server/users/create-user";
import { updateUser } from "@/server/users/update-user";
import { getUser, listUsers } from "@/server/users/queries";
import { createVendor } from "@/server/vendors/create-vendor";
import { renameVendor } from "@/server/vendors/rename-vendor";
import { listVendors } from "@/server/vendors/queries";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import * as usersRoute from "@/app/api/v1/users/route";
import * as userRoute from "@/app/api/v1/users/[id]/route";
import * as vendorsRoute from "@/app/api/v1/vendors/route";
import * as vendorRoute from "@/app/api/v1/vendors/[id]/route";
import * as batchesRoute from "@/app/api/v1/batches/route";
import { closeBatch, makeActiveBatch, makeUser } from "./fixtures";
import { callRoute, expectAppError, tokenFor } from "./api-call";

const tag = () => randomUUID().slice(0, 8);

describe("users", () => {
  it("lives a whole life: created, role changed, deactivated (sign-in and tokens refused), reactivated", async () => {
    const admin = await makeUser("admin");
    const vendor = await createVendor(admin, { name: `Vendor ${tag()}` });
    const email = `Person-${tag()}@Test.Pairwise`;
    const created = await createUser(admin, { email, role: "annotator", vendor: vendor.name, password: "a typed password" });
    expect(created.email).toBe(email.toLowerCase());
    expect(created.generatedPassword).toBeUndefined();
    const listed = (await listUsers(admin)).find((u) => u.id === created.id)!;
    expect(listed).toMatchObject({ email: email.toLowerCase(), role: "annotator", vendor: vendor.name, active: true, lastJudgementAt: null });

    // Role change takes effect on the next request: Actors are read from the database, not from the session.
    expect(await updateUser(admin, created.id, { role: "researcher" })).toMatchObject({ role: "researcher" });
    const { token } = await createApiToken(toActor(await db.user.findUniqueOrThrow({ where: { id: created.id } })), {
      userId: created.id,
      name: "t",
    });
    expect(await actorFromApiToken(token)).toMatchObject({ id: created.id, role: "researcher" });
    expect((await callRoute(batchesRoute.GET, token)).status).toBe(200);

    const deactivated = await updateUser(admin, created.id, { active: false });
    expect(deactivated.active).toBe(false);
    expect(await verifyCredentials({ email, password: "a typed password" })).toBeNull();
    expect(await actorFromApiToken(token)).toBeNull();
    const refused = await callRoute(batchesRoute.GET, token);
    expect(refused.status).toBe(401);

    expect(await updateUser(admin, created.id, { active: true })).toMatchObject({ active: true });
    expect((await verifyCredentials({ email, password: "a typed password" }))?.id).toBe(created.id);
    // Issue 9: reactivation brings back no old token (deactivation revoked it, audited); a new one works.
    expect((await callRoute(batchesRoute.GET, token)).status).toBe(401);
    expect(
      await db.auditEntry.count({
        where: {
          action: "token.revoke",
          after: { path: ["reason"], equals: "user deactivated" },
          before: { path: ["user"], equals: email.toLowerCase() },
        },
      }),
    ).toBe(1);
    const fresh = await createApiToken(toActor(await db.user.findUniqueOrThrow({ where: { id: created.id } })), { name: "after" });
    expect((await callRoute(batchesRoute.GET, fresh.token)).status).toBe(200);

    // Vendor: moved to another, then none; an unknown vendor is refused, not created on the fly.
    const other = await createVendor(admin, { name: `Other ${tag()}` });
    expect(await updateUser(admin, created.id, { vendor: other.name })).toMatchObject({ vendor: other.name });
    expect(await updateUser(admin, created.id, { vendor: null })).toMatchObject({ vendor: null });
    await expectAppError(updateUser(admin, created.id, { vendor: "No such vendor" }), "invalid_input", /vendor: no vendor named/);
    await expectAppError(updateUser(admin, created.id, { role: "boss" }), "invalid_input", /role: must be one of/);
    await expectAppError(updateUser(admin, created.id, { password: "x" }), "invalid_input", /password: a user PATCH takes role, vendor and active/);
    await expectAppError(updateUser(admin, "nobody", { active: false }), "not_found");
  });

  it("generates a password when none is typed, returns it once and stores only its hash", async () => {
    const admin = await makeUser("admin");
    const email = `generated-${tag()}@test.pairwise`;
    const created = await createUser(admin, { email, role: "annotator", password: "" });
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const row = await db.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.passwordHash).not.toContain(created.generatedPassword);
    expect((await verifyCredentials({ email, password: created.generatedPassword }))?.id).toBe(created.id);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entityId: created.id, action: "user.create" } });
    expect(JSON.stringify(audit)).not.toContain(created.generatedPassword);
    expect(audit.after).toMatchObject({ email, role: "annotator", passwordGenerated: true });
    expect(await getUser(admin, created.id)).toMatchObject({ email, active: true });
  });

  it("an admin cannot deactivate themself nor change their own role", async () => {
    const admin = await makeUser("admin");
    await expectAppError(updateUser(admin, admin.id, { active: false }), "conflict", /cannot deactivate yourself/);
    await expectAppError(updateUser(admin, admin.id, { role: "annotator" }), "conflict", /own role/);
    expect(await updateUser(admin, admin.id, { role: "admin" })).toMatchObject({ role: "admin", active: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: admin.id } })).active).toBe(true);
  });

  it("shows each user's last judgement", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const task = (await claimNextTask(annotator, { batchId }))!;
    const judged = await submitJudgement(annotator, {
      assignmentId: task.assignmentId,
      chosen: "left",
      degree: "better",
      idempotencyKey: `people-${tag()}`,
      timeSpentMs: 10,
    });
    expect((await getUser(admin, annotator.id)).lastJudgementAt).toBe(judged.createdAt);
    expect((await listUsers(admin)).find((u) => u.id === annotator.id)?.lastJudgementAt).toBe(judged.createdAt);
    await closeBatch(admin, batchId);
  });

  it("GET/POST /api/v1/users and PATCH /api/v1/users/{id} for admins", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const email = `api-${tag()}@test.pairwise`;
    const created = await callRoute(usersRoute.POST, token, { method: "POST", body: { email, role: "annotator" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ email, generatedPassword: expect.any(String) });
    const list = await callRoute(usersRoute.GET, token);
    expect((list.json.users as { email: string }[]).some((u) => u.email === email)).toBe(true);
    const patched = await callRoute(userRoute.PATCH, token, { method: "PATCH", params: { id: created.json.id as string }, body: { active: false } });
    expect(patched.json).toMatchObject({ email, active: false });
    expect(JSON.stringify(list.json)).not.toMatch(/passwordHash|argon2/);
    const self = await callRoute(userRoute.PATCH, token, { method: "PATCH", params: { id: admin.id }, body: { active: false } });
    expect(self.status).toBe(409);
  });
});

describe("vendors", () => {
  it("creates, renames and counts users per vendor; names stay unique; every change is audited", async () => {
    const admin = await makeUser("admin");
    const name = `Acme ${tag()}`;
    const vendor = await createVendor(admin, { name: `  ${name} ` });
    expect(vendor.name).toBe(name);
    await expectAppError(createVendor(admin, { name }), "conflict", /already exists/);
    await expectAppError(createVendor(admin, { name: "" }), "invalid_input", /name/);

    await createUser(admin, { email: `v1-${tag()}@test.pairwise`, role: "annotator", vendor: name, password: "long enough" });
    const second = await createUser(admin, { email: `v2-${tag()}@test.pairwise`, role: "annotator", vendor: name, password: "long enough" });
    await updateUser(admin, second.id, { active: false });
    expect((await listVendors(admin)).find((v) => v.id === vendor.id)).toMatchObject({ name, users: 2, activeUsers: 1 });

    const renamed = await renameVendor(admin, vendor.id, { name: `${name} Ltd` });
    expect(renamed.name).toBe(`${name} Ltd`);
    expect((await listUsers(admin)).find((u) => u.id === second.id)?.vendor).toBe(`${name} Ltd`);
    const other = await createVendor(admin, { name: `Other ${tag()}` });
    await expectAppError(renameVendor(admin, other.id, { name: `${name} Ltd` }), "conflict", /already exists/);
    await expectAppError(renameVendor(admin, "nope", { name: "x" }), "not_found");

    const audit = await db.auditEntry.findMany({ where: { entityType: "vendor", entityId: vendor.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      ["vendor.create", null, { name }],
      ["vendor.rename", { name }, { name: `${name} Ltd` }],
    ]);
  });

  it("a vendor created on the fly with a user (CLI, seed, API) is audited too", async () => {
    const admin = await makeUser("admin");
    const name = `On the fly ${tag()}`;
    await createUser(admin, { email: `fly-${tag()}@test.pairwise`, role: "annotator", vendor: name, password: "long enough" });
    const vendor = await db.vendor.findUniqueOrThrow({ where: { name } });
    expect(await db.auditEntry.count({ where: { action: "vendor.create", entityId: vendor.id, actorId: admin.id } })).toBe(1);
  });

  it("GET/POST /api/v1/vendors and PATCH /api/v1/vendors/{id}", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const name = `API vendor ${tag()}`;
    const created = await callRoute(vendorsRoute.POST, token, { method: "POST", body: { name } });
    expect(created.status).toBe(201);
    const renamed = await callRoute(vendorRoute.PATCH, token, {
      method: "PATCH",
      params: { id: created.json.id as string },
      body: { name: `${name} 2` },
    });
    expect(renamed.json).toMatchObject({ name: `${name} 2` });
    const list = await callRoute(vendorsRoute.GET, token);
    expect((list.json.vendors as { name: string; users: number }[]).find((v) => v.name === `${name} 2`)).toMatchObject({ users: 0 });
    expect((await callRoute(vendorsRoute.POST, token, { method: "POST", body: { name, extra: 1 } })).status).toBe(400);
  });
});
