// API tokens (issue 9): every user lists, creates (shown once) and revokes their own; admins anyone's; every event
// audited; a revoked token stops at once; the routes are the same functions.
import { describe, expect, it } from "vitest";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import * as tokenRoute from "@/app/api/v1/tokens/[id]/route";
import * as passwordRoute from "@/app/api/v1/account/password/route";
import { db } from "@/server/db";
import { actorFromApiToken, createApiToken, listApiTokens, revokeApiToken } from "@/server/auth/api-tokens";
import { makeUser } from "../fixtures";
import { callRoute, expectAppError, tokenFor } from "../api-call";

describe("API tokens", () => {
  it("a user creates, lists and revokes their own; the token is shown once and stored as a hash", async () => {
    const user = await makeUser("researcher");
    const created = await createApiToken(user, { name: "nightly export" });
    expect(created.token).toMatch(/^pw_/);
    expect(created.prefix).toBe(created.token.slice(0, 8));
    const listed = await listApiTokens(user);
    expect(listed).toEqual([
      expect.objectContaining({ id: created.id, name: "nightly export", prefix: created.prefix, lastUsedAt: null, revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(await db.apiToken.findMany({ where: { userId: user.id } }))).not.toContain(created.token);

    expect(await actorFromApiToken(created.token)).toMatchObject({ id: user.id });
    expect((await listApiTokens(user))[0].lastUsedAt).not.toBeNull();
    await revokeApiToken(user, created.id);
    expect(await actorFromApiToken(created.token)).toBeNull();
    const audit = await db.auditEntry.findMany({ where: { entityId: created.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["token.create", "token.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(created.token);
  });

  it("others' tokens: hidden from non-admins (404), listed and revoked by admins", async () => {
    const admin = await makeUser("admin");
    const owner = await makeUser("annotator");
    const other = await makeUser("annotator");
    const { id, token } = await createApiToken(owner, { name: "script" });
    await expectAppError(revokeApiToken(other, id), "not_found");
    await expectAppError(listApiTokens(other, { userId: owner.id }), "forbidden");
    await expectAppError(listApiTokens(other, { userId: "*" }), "forbidden");
    await expectAppError(createApiToken(other, { name: "x", userId: owner.id }), "forbidden");
    expect((await listApiTokens(admin, { userId: "*" })).some((t) => t.id === id && t.userEmail === owner.email)).toBe(true);
    await revokeApiToken(admin, id);
    expect(await actorFromApiToken(token)).toBeNull();
    expect(await db.auditEntry.findFirst({ where: { entityId: id, action: "token.revoke" } })).toMatchObject({ actorId: admin.id });
  });

  it("GET/POST /api/v1/tokens and DELETE /api/v1/tokens/{id}; POST /api/v1/account/password", async () => {
    const user = await makeUser("annotator");
    const token = await tokenFor(user);
    const created = await callRoute(tokensRoute.POST, token, { method: "POST", body: { name: "from the API" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "from the API", token: expect.stringMatching(/^pw_/) });
    const listed = await callRoute(tokensRoute.GET, token);
    expect((listed.json.tokens as unknown[]).length).toBe(2);
    const revoked = await callRoute(tokenRoute.DELETE, token, { method: "DELETE", params: { id: created.json.id as string } });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).toEqual(expect.any(String));
    expect((await callRoute(tokensRoute.GET, created.json.token as string)).status).toBe(401);
    const badName = await callRoute(tokensRoute.POST, token, { method: "POST", body: { name: "" } });
    expect(badName.status).toBe(400);
    const wrong = await callRoute(passwordRoute.POST, token, { method: "POST", body: { currentPassword: "nope", newPassword: "another password" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ message: expect.stringMatching(/^currentPassword/) });
  });

  it("npm run token:revoke revokes by prefix, audited as the operator", async () => {
    const user = await makeUser("annotator");
    const { id, token, prefix } = await createApiToken(user, { name: "cli" });
    const { execFileSync } = await import("node:child_process");
    execFileSync("npx", ["tsx", "server/cli/token-revoke.ts", "--prefix", prefix], { env: process.env, stdio: "pipe" });
    expect(await actorFromApiToken(token)).toBeNull();
    expect(await db.auditEntry.findFirst({ where: { entityId: id, action: "token.revoke" } })).toMatchObject({ actorId: null });
  });
});
