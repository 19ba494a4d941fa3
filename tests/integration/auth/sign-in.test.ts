// Sign-in and sessions (issue 9): throttled per account and per address with counters in Postgres, 429 with
// Retry-After from the endpoint, time-based; unknown emails cost what wrong passwords cost; sessions end on
// sign-out, deactivation and a password change; reactivation revives nothing.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { authOptions, SignInThrottled, verifyCredentials } from "@/server/auth/options";
import { actorFromUserId } from "@/server/auth/current-user";
import { clientAddress, delayAfter } from "@/server/auth/sign-in-throttle";
import { refuseThrottledSignIn } from "@/server/auth/sign-in-route";
import { updateUser } from "@/server/users/update-user";
import { changePassword } from "@/server/account/change-password";
import { makeUser } from "../fixtures";
import { expectAppError } from "../api-call";

const PASSWORD = "correct horse battery";

async function versionOf(userId: string): Promise<number> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId } })).sessionVersion;
}

function signInRequest(email: string, ip: string): Request {
  return new Request("http://localhost/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
    body: new URLSearchParams({ email, password: "x", csrfToken: "t", json: "true" }),
  });
}

describe("sign-in throttle", () => {
  it("refuses even the right password after repeated failures, with the wait, and lets it in once the wait is over", async () => {
    const user = await makeUser("annotator");
    const ip = "203.0.113.7";
    for (let i = 0; i < 5; i++) expect(await verifyCredentials({ email: user.email, password: "wrong" }, ip)).toBeNull();
    // The sixth attempt must wait, even with the right password (before: 50 wrong in 3.6 s, then the right one worked).
    await expect(verifyCredentials({ email: user.email, password: PASSWORD }, ip)).rejects.toBeInstanceOf(SignInThrottled);

    // The endpoint answers 429 with Retry-After, in the shape next-auth's client reads.
    const refused = await refuseThrottledSignIn(signInRequest(user.email, "198.51.100.1"), ["callback", "credentials"]);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await refused!.json();
    expect(body.error.code).toBe("too_many_requests");
    expect(new URL(body.url).searchParams.get("error")).toMatch(/^throttled:\d+$/);
    expect(await refuseThrottledSignIn(signInRequest(user.email, ip), ["session"])).toBeNull();

    // Time-based: once the wait has passed (moved back in the table, as every replica reads it), the right one works
    // and the account's count starts afresh.
    await db.signInThrottle.update({ where: { key: `email:${user.email}` }, data: { lastFailureAt: new Date(Date.now() - 60_000) } });
    expect((await verifyCredentials({ email: user.email, password: PASSWORD }, ip))?.id).toBe(user.id);
    expect(await db.signInThrottle.findUnique({ where: { key: `email:${user.email}` } })).toBeNull();
  });

  it("throttles an address trying many accounts, and forgets old failures", async () => {
    const ip = "203.0.113.99";
    for (let i = 0; i < 20; i++) expect(await verifyCredentials({ email: `nobody-${i}@test.pairwise`, password: "x" }, ip)).toBeNull();
    const user = await makeUser("researcher");
    await expect(verifyCredentials({ email: user.email, password: PASSWORD }, ip)).rejects.toBeInstanceOf(SignInThrottled);
    expect((await verifyCredentials({ email: user.email, password: PASSWORD }, "203.0.113.100"))?.id).toBe(user.id);
    await db.signInThrottle.update({ where: { key: `ip:${ip}` }, data: { lastFailureAt: new Date(Date.now() - 3600_000) } });
    expect((await verifyCredentials({ email: user.email, password: PASSWORD }, ip))?.id).toBe(user.id);
    expect(delayAfter("email", 4)).toBe(0);
    expect(delayAfter("email", 5)).toBe(1);
    expect(delayAfter("email", 8)).toBe(8);
    expect(delayAfter("email", 60)).toBe(900);
  });

  it("takes as long for an unknown email as for a wrong password (hashes against a dummy)", async () => {
    const user = await makeUser("annotator");
    const time = async (email: string) => {
      const started = performance.now();
      await verifyCredentials({ email, password: "wrong password" }, null);
      return performance.now() - started;
    };
    await time(user.email);
    const known: number[] = [];
    const unknown: number[] = [];
    // Alternating, on fresh emails so the throttle never starts waiting; before: 76 ms against 25 ms.
    for (let i = 0; i < 4; i++) {
      known.push(await time(user.email));
      unknown.push(await time(`unknown-${i}-${Date.now()}@test.pairwise`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
  });

  it("counts a caller under the last address of X-Forwarded-For, the one the nearest proxy wrote", () => {
    // A client can send any X-Forwarded-For it likes; the proxy appends the address it saw.
    expect(clientAddress(new Headers({ "x-forwarded-for": "10.0.0.1, 198.51.100.23" }))).toBe("198.51.100.23");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.4" })).toBe("203.0.113.4");
    expect(clientAddress(new Headers({ "x-forwarded-for": "198.51.100.23, " }))).toBe("198.51.100.23");
    expect(clientAddress(new Headers())).toBeNull();
  });
});

describe("sessions end on the server", () => {
  it("sign-out ends every session of the user: the old cookie's version is refused", async () => {
    const user = await makeUser("annotator");
    const version = await versionOf(user.id);
    expect(await actorFromUserId(user.id, version)).toMatchObject({ id: user.id });
    await authOptions().events!.signOut!({ token: { sub: user.id, sv: version }, session: undefined as never });
    expect(await actorFromUserId(user.id, version)).toBeNull();
    expect(await actorFromUserId(user.id, undefined)).toBeNull();
  });

  it("deactivation ends sessions and reactivation does not bring them back", async () => {
    const admin = await makeUser("admin");
    const user = await makeUser("researcher");
    const version = await versionOf(user.id);
    await updateUser(admin, user.id, { active: false });
    expect(await actorFromUserId(user.id, version)).toBeNull();
    await updateUser(admin, user.id, { active: true });
    expect(await actorFromUserId(user.id, version)).toBeNull();
    expect(await actorFromUserId(user.id, await versionOf(user.id))).toMatchObject({ id: user.id });
  });

  it("a password change needs the current one, ends every session and is audited", async () => {
    const user = await makeUser("annotator");
    const version = await versionOf(user.id);
    await expectAppError(
      changePassword(user, { currentPassword: "not it", newPassword: "a new password" }),
      "invalid_input",
      /^currentPassword: is not your current password/,
    );
    await expectAppError(
      changePassword(user, { currentPassword: PASSWORD, newPassword: "short" }),
      "invalid_input",
      /newPassword: must be at least 8/,
    );
    expect(await actorFromUserId(user.id, version)).not.toBeNull();
    await changePassword(user, { currentPassword: PASSWORD, newPassword: "a new password" });
    expect(await actorFromUserId(user.id, version)).toBeNull();
    expect(await verifyCredentials({ email: user.email, password: PASSWORD })).toBeNull();
    expect((await verifyCredentials({ email: user.email, password: "a new password" }))?.id).toBe(user.id);
    expect(await db.auditEntry.count({ where: { entityId: user.id, action: "user.password" } })).toBe(1);
  });
});
