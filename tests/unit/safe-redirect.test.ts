// Redirects stay home (issue 9: "/%5Cevil.example/x" and "/%09/evil.example/x" left the app after sign-in).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { safeRedirectPath } from "@/lib/safe-redirect";

const APP = "http://127.0.0.1:3123";

describe("safeRedirectPath", () => {
  it("keeps paths of the app", () => {
    expect(safeRedirectPath("/admin/batches?x=1#top", APP)).toBe("/admin/batches?x=1#top");
    expect(safeRedirectPath("/exports", APP)).toBe("/exports");
  });

  it("refuses every way out the issue found, and the usual others", () => {
    for (const bad of [
      "/%5Cevil.example/x",
      "/%09/evil.example/x",
      "/\\evil.example/x",
      "/\t/evil.example/x",
      "//evil.example/x",
      "/%2F/evil.example",
      "https://evil.example/",
      "http://127.0.0.1:4000/",
      "javascript:alert(1)",
      " /x",
      "/x\n",
      "evil.example",
      "",
      "/%E0%A4%A",
    ]) {
      expect(safeRedirectPath(bad, APP), bad).toBe("/");
    }
    expect(safeRedirectPath(undefined, APP)).toBe("/");
    expect(safeRedirectPath(["/a"], APP)).toBe("/");
  });

  it("never returns anything that a browser resolves to another origin", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("/", "\\", "%", "5", "C", "0", "9", "2", "F", "\t", "e", ".", ":", "@", "?", "#", " ", "h"),
          maxLength: 16,
        }),
        (text) => {
          const target = safeRedirectPath(text, APP);
          expect(new URL(target, APP).origin).toBe(APP);
          expect(target.startsWith("/")).toBe(true);
          expect(target.startsWith("//")).toBe(false);
          expect(target).not.toContain("\\");
        },
      ),
      { numRuns: 2000 },
    );
  });
});
