import { describe, expect, it } from "vitest";
import { drawScreenOrder } from "@/lib/screen-order";

describe("drawScreenOrder", () => {
  it("follows the coin", () => {
    expect(drawScreenOrder("a", "b", () => 0)).toEqual({ left: "a", right: "b" });
    expect(drawScreenOrder("a", "b", () => 1)).toEqual({ left: "b", right: "a" });
  });

  it("puts each response on the left about half the time with the default coin", () => {
    let firstOnLeft = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) if (drawScreenOrder("a", "b").left === "a") firstOnLeft++;
    // Binomial(4000, 0.5): mean 2000, sd ≈ 31.6; ±6 sd.
    expect(firstOnLeft).toBeGreaterThan(1810);
    expect(firstOnLeft).toBeLessThan(2190);
  });
});
