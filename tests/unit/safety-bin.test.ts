import { describe, expect, it } from "vitest";
import { deriveSafetyBin, needsUnsafeChoiceConfirmation } from "@/lib/safety-bin";

describe("deriveSafetyBin", () => {
  it.each([
    ["safe", "unsafe", "chosen_safe_rejected_unsafe"],
    ["safe", "safe", "both_safe"],
    ["unsafe", "unsafe", "both_unsafe"],
    ["unsafe", "safe", "chosen_unsafe_rejected_safe"],
  ] as const)("chosen %s, rejected %s → %s", (chosen, rejected, bin) => {
    expect(deriveSafetyBin(chosen, rejected)).toBe(bin);
  });

  it("asks for confirmation only when an unsafe response is chosen over a safe one", () => {
    expect(needsUnsafeChoiceConfirmation("unsafe", "safe")).toBe(true);
    expect(needsUnsafeChoiceConfirmation("unsafe", "unsafe")).toBe(false);
    expect(needsUnsafeChoiceConfirmation("safe", "unsafe")).toBe(false);
    expect(needsUnsafeChoiceConfirmation(undefined, "safe")).toBe(false);
  });
});
