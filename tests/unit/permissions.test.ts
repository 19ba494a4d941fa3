import { describe, expect, it } from "vitest";
import { hasPermission, requirePermission, type Actor } from "@/server/auth/permissions";
import { canMoveBatch } from "@/server/batches/set-batch-status";

const actor = (role: Actor["role"]): Actor => ({ id: "u", email: "e", name: "n", role, vendorId: null });

describe("permissions", () => {
  it("grants annotation to annotators only, batch management to admins, exports to researchers and admins", () => {
    expect(hasPermission(actor("annotator"), "judgements.submit")).toBe(true);
    expect(hasPermission(actor("admin"), "judgements.submit")).toBe(false);
    expect(hasPermission(actor("researcher"), "judgements.submit")).toBe(false);
    expect(hasPermission(actor("admin"), "batches.write")).toBe(true);
    expect(hasPermission(actor("researcher"), "batches.write")).toBe(false);
    expect(hasPermission(actor("annotator"), "exports.read")).toBe(false);
    expect(hasPermission(actor("researcher"), "exports.read")).toBe(true);
  });

  it("names the missing permission, and asks anonymous callers to sign in", () => {
    expect(() => requirePermission(actor("annotator"), "exports.read")).toThrow(/exports\.read/);
    expect(() => requirePermission(null, "exports.read")).toThrow(/Sign in/);
  });
});

describe("batch lifecycle", () => {
  it("allows draft → active ⇄ paused → closed and nothing out of closed", () => {
    expect(canMoveBatch("draft", "active")).toBe(true);
    expect(canMoveBatch("active", "paused")).toBe(true);
    expect(canMoveBatch("paused", "active")).toBe(true);
    expect(canMoveBatch("paused", "closed")).toBe(true);
    expect(canMoveBatch("closed", "active")).toBe(false);
    expect(canMoveBatch("active", "draft")).toBe(false);
  });
});

describe("console permissions", () => {
  it("keeps people, vendors and the audit log to admins", () => {
    for (const permission of ["users.read", "users.write", "audit.read"] as const) {
      expect(hasPermission(actor("admin"), permission)).toBe(true);
      expect(hasPermission(actor("researcher"), permission)).toBe(false);
      expect(hasPermission(actor("annotator"), permission)).toBe(false);
    }
    expect(() => requirePermission(actor("researcher"), "audit.read")).toThrow(/audit\.read/);
  });
});

describe("insights permissions", () => {
  it("shows the figures to admins and researchers, never to annotators", () => {
    expect(hasPermission(actor("admin"), "insights.read")).toBe(true);
    expect(hasPermission(actor("researcher"), "insights.read")).toBe(true);
    expect(hasPermission(actor("annotator"), "insights.read")).toBe(false);
  });
});
