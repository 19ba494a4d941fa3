// Call slots shared through Postgres: never more leases than maxConcurrency at once, a freed slot goes to the next
// caller, and a slot left taken by a server that died is free again once its lease expires.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { takeCallSlot, type CallSlotLease } from "@/server/model-variants/call-slots";
import { sampleChat } from "@/server/model-variants/model-client";
import { startFakeModelServer, type FakeModelServer } from "../../support/fake-model-server";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(() => server.close());

describe("call slots", () => {
  it("leases at most maxConcurrency slots at once and hands a released one to a waiting caller", async () => {
    const variant = { id: `slots-${randomUUID()}`, maxConcurrency: 3, timeoutMs: 60_000 };
    const granted: CallSlotLease[] = [];
    const waiting = Array.from({ length: 5 }, () => takeCallSlot(variant).then((lease) => (granted.push(lease), lease)));
    // Waits for the grants rather than a fixed time (a loaded machine may take longer), then checks no fourth came.
    await vi.waitFor(() => expect(granted).toHaveLength(3), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 400));
    expect(granted.map((l) => l.slot).sort()).toEqual([0, 1, 2]);
    const held = await db.modelCallSlot.count({ where: { modelVariantId: variant.id, holder: { not: null } } });
    expect(held).toBe(3);

    await granted[0].release();
    await vi.waitFor(() => expect(granted).toHaveLength(4), { timeout: 10_000, interval: 50 });
    expect(granted[3].slot).toBe(granted[0].slot);

    for (const lease of granted.slice(1)) await lease.release();
    await Promise.all(waiting);
    expect(granted).toHaveLength(5);
    for (const lease of granted.slice(4)) await lease.release();
    expect(await db.modelCallSlot.count({ where: { modelVariantId: variant.id, holder: { not: null } } })).toBe(0);
  });

  it("gives up waiting when the caller aborts", async () => {
    const variant = { id: `slots-${randomUUID()}`, maxConcurrency: 1, timeoutMs: 60_000 };
    const lease = await takeCallSlot(variant);
    const controller = new AbortController();
    const waiting = takeCallSlot(variant, controller.signal);
    setTimeout(() => controller.abort(new Error("gave up")), 100);
    await expect(waiting).rejects.toThrow("gave up");
    await lease.release();
  });

  it("frees a slot a dead server left taken once its lease expires, and not before", async () => {
    const tag = randomUUID().slice(0, 8);
    const variant = {
      id: `slots-${tag}`,
      name: `slots-${tag}`,
      version: "",
      baseUrl: server.url,
      modelId: `model-${tag}`,
      apiKeyEnv: null,
      maxConcurrency: 1,
      timeoutMs: 1000,
    };
    // The one slot, held by a process that died mid-call: its lease runs 800 ms more.
    await db.$executeRaw`
      INSERT INTO "ModelCallSlot" ("modelVariantId", slot, holder, "expiresAt")
      VALUES (${variant.id}, 0, 'dead-server', (now() AT TIME ZONE 'UTC') + interval '800 milliseconds')`;
    const started = Date.now();
    await sampleChat(variant, [{ role: "user", content: "hello" }]);
    const sent = server.requests.find((r) => r.body.model === variant.modelId)!;
    expect(sent.startedAt - started).toBeGreaterThanOrEqual(700);
    expect(sent.startedAt - started).toBeLessThan(2000);
  });
});
