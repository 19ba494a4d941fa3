// Sign-in and tokens on real Postgres: deactivated users are refused, tokens are hashed and revocable,
// and the bootstrap CLIs work against a real database.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { verifyCredentials } from "@/server/auth/options";
import { actorFromApiToken, createApiToken, revokeApiToken } from "@/server/auth/api-tokens";
import { createUser } from "@/server/users/create-user";
import { AppError } from "@/server/errors";
import { makeUser } from "./fixtures";

const root = path.resolve(__dirname, "..", "..");

describe("sign-in and tokens", () => {
  it("accepts the right password, refuses a wrong one and a deactivated user", async () => {
    const user = await makeUser("annotator");
    expect((await verifyCredentials({ email: user.email, password: "correct horse battery" }))?.id).toBe(user.id);
    expect(await verifyCredentials({ email: user.email.toUpperCase(), password: "correct horse battery" })).not.toBeNull();
    expect(await verifyCredentials({ email: user.email, password: "wrong" })).toBeNull();
    expect(await verifyCredentials({ email: "nobody@test.pairwise", password: "x" })).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await verifyCredentials({ email: user.email, password: "correct horse battery" })).toBeNull();
  });

  it("stores only a hash of API tokens, resolves them to their user, and stops after revocation or deactivation", async () => {
    const user = await makeUser("researcher");
    const { id, token } = await createApiToken(user, { userId: user.id, name: "test" });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await actorFromApiToken(token))?.id).toBe(user.id);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();
    expect(await actorFromApiToken(token + "x")).toBeNull();
    await revokeApiToken(user, id);
    expect(await actorFromApiToken(token)).toBeNull();

    const second = await createApiToken(user, { userId: user.id, name: "again" });
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    expect(await actorFromApiToken(second.token)).toBeNull();
  });

  it("refuses a duplicate email and a bad role with clear errors", async () => {
    const user = await makeUser("admin");
    await expect(createUser(null, { email: user.email, password: "long enough pw", role: "admin" })).rejects.toThrow(/already exists/);
    await expect(createUser(null, { email: "x@test.pairwise", password: "long enough pw", role: "boss" })).rejects.toSatisfy(
      (e) => e instanceof AppError && /role: must be one of annotator, admin, researcher/.test(e.message),
    );
  });

  it("bootstraps from the command line: user:create then token:create prints a working token", async () => {
    const env = { ...process.env };
    const email = `cli-${Date.now()}@test.pairwise`;
    const created = execFileSync(
      "npm",
      ["run", "-s", "user:create", "--", "--email", email, "--password", "a long password", "--role", "researcher", "--vendor", "CLI Vendor"],
      { cwd: root, env, encoding: "utf8" },
    );
    expect(created).toContain(`created ${email} (researcher)`);
    const token = execFileSync("npm", ["run", "-s", "token:create", "--", "--email", email], {
      cwd: root,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    expect(token).toMatch(/^pw_[A-Za-z0-9_-]{32}$/);
    const actor = await actorFromApiToken(token);
    expect(actor).toMatchObject({ email, role: "researcher" });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { vendor: true } });
    expect(user.vendor?.name).toBe("CLI Vendor");
    expect(() =>
      execFileSync("npm", ["run", "-s", "user:create", "--", "--email", email, "--password", "x", "--role", "researcher"], {
        cwd: root,
        env,
        stdio: "pipe",
      }),
    ).toThrow();
  }, 60_000);
});
