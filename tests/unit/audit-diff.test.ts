import { describe, expect, it } from "vitest";
import { diffAuditValues, formatAuditValue } from "@/lib/audit-diff";

describe("audit diff", () => {
  it("lists changed keys first, then added and removed, and unchanged ones last", () => {
    expect(diffAuditValues({ email: "a@x", role: "annotator", gone: 1 }, { email: "a@x", role: "researcher", added: [1] })).toEqual([
      { key: "role", kind: "changed", before: "annotator", after: "researcher" },
      { key: "added", kind: "added", after: [1] },
      { key: "gone", kind: "removed", before: 1 },
      { key: "email", kind: "same", before: "a@x", after: "a@x" },
    ]);
  });

  it("treats a missing side as empty and compares nested values by content", () => {
    expect(diffAuditValues(null, { name: "v" })).toEqual([{ key: "name", kind: "added", after: "v" }]);
    expect(diffAuditValues({ list: ["a", "b"] }, { list: ["a", "b"] })).toEqual([
      { key: "list", kind: "same", before: ["a", "b"], after: ["a", "b"] },
    ]);
    expect(diffAuditValues("x", "y")).toEqual([{ key: "", kind: "changed", before: "x", after: "y" }]);
  });

  it("formats values on one line, cut at a length", () => {
    expect(formatAuditValue("two\nlines")).toBe("two lines");
    expect(formatAuditValue(["a", 1])).toBe('["a",1]');
    expect(formatAuditValue(null)).toBe("null");
    expect(formatAuditValue(undefined)).toBe("—");
    expect(formatAuditValue("x".repeat(100), 10)).toBe("xxxxxxxxx…");
  });
});
