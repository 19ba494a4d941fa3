import { describe, expect, it } from "vitest";
import { binomialTest, checkAnnotator, formatP, logGamma } from "@/lib/data-checks";

describe("binomialTest (two-sided, exact)", () => {
  // Reference values: exact enumeration over rational numbers of every outcome no more likely than the observed one
  // (R's binom.test rule), computed with Python's fractions module.
  it.each([
    [7, 10, 0.5, 0.34375],
    [60, 100, 0.5, 0.05688793364098079],
    [3, 10, 0.2, 0.429574656],
    [30, 50, 0.5, 0.20263875106454066],
    [50, 100, 0.5, 1],
  ])("%s of %s against %s", (x, n, p, expected) => {
    expect(binomialTest(x, n, p)).toBeCloseTo(expected, 9);
  });

  it("keeps tiny p-values (90 of 100: 3.06e-17) and answers 1 without trials", () => {
    expect(binomialTest(90, 100) / 3.063290175437985e-17).toBeCloseTo(1, 6);
    expect(binomialTest(0, 0)).toBe(1);
  });

  it("refuses impossible counts", () => {
    expect(() => binomialTest(11, 10)).toThrow(/0 ≤ successes ≤ trials/);
    expect(() => binomialTest(1.5, 10)).toThrow();
  });

  it("has a log-gamma exact at integers", () => {
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it("prints p as people read it", () => {
    expect(formatP(0.0004)).toBe("p < 0.001");
    expect(formatP(0.01234)).toBe("p = 0.012");
  });
});

describe("annotator flags (a hand-built set)", () => {
  const biased = checkAnnotator({ id: "a1", name: "Biased", judgements: 100, leftChoices: 90, medianMs: 31_000 });
  const fast = checkAnnotator({ id: "a2", name: "Fast", judgements: 100, leftChoices: 47, medianMs: 2_000 });
  const careless = checkAnnotator({
    id: "a3",
    name: "Careless",
    judgements: 100,
    leftChoices: 55,
    medianMs: 25_000,
    goldAccuracy: 0.5,
    goldItems: 20,
  });
  const careful = checkAnnotator({
    id: "a4",
    name: "Careful",
    judgements: 100,
    leftChoices: 53,
    medianMs: 42_000,
    goldAccuracy: 0.95,
    goldItems: 20,
  });

  it("flags the biased annotator (90% left) for position bias, in words", () => {
    expect(biased.flags).toEqual([{ kind: "position_bias", reason: "chose the left response 90% of the time (p < 0.001)" }]);
    expect(biased.leftShare).toBe(0.9);
  });

  it("flags the fast annotator (2 s per judgement) for speed only", () => {
    expect(fast.flags).toEqual([{ kind: "too_fast", reason: "took 2 s per judgement (median), under 5 s" }]);
  });

  it("flags low gold accuracy when it is given", () => {
    expect(careless.flags).toEqual([{ kind: "low_gold_accuracy", reason: "answered 50% of 20 gold items as expected, under 70%" }]);
  });

  it("does not flag the careful annotator", () => {
    expect(careful.flags).toEqual([]);
    expect(careful.biasP!).toBeGreaterThan(0.5);
  });

  it("names the right side for a right bias, and stays quiet with too few judgements", () => {
    expect(checkAnnotator({ id: "r", name: "R", judgements: 200, leftChoices: 30, medianMs: 20_000 }).flags[0].reason).toBe(
      "chose the right response 85% of the time (p < 0.001)",
    );
    expect(checkAnnotator({ id: "s", name: "S", judgements: 8, leftChoices: 8, medianMs: 1_000 }).flags).toEqual([]);
  });

  it("does not flag a bias that is significant but small (51% over 100,000)", () => {
    const slight = checkAnnotator({ id: "v", name: "Vendor", judgements: 100_000, leftChoices: 51_000, medianMs: 30_000 });
    expect(slight.biasP!).toBeLessThan(0.001);
    expect(slight.flags).toEqual([]);
  });
});
