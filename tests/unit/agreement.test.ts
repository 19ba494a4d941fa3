import { describe, expect, it } from "vitest";
import {
  alphaFromCoincidences,
  coincidenceMatrix,
  coincidencesFromPairs,
  krippendorffAlpha,
  pairCounts,
  rawAgreement,
  signedScale,
  signedScaleFromSlot,
} from "@/lib/agreement";

// Source: Klaus Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", University of Pennsylvania,
// ScholarlyCommons (repository.upenn.edu/asc_papers/43), section C: 4 observers × 12 units with missing data.
// Reported: nominal α = 0.743, ordinal α = 0.815, interval α = 0.849.
const _ = null;
const OBSERVERS = [
  /* A */ [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  /* B */ [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  /* C */ [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  /* D */ [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];
const UNITS = OBSERVERS[0].map((_, u) => OBSERVERS.map((row) => row[u]));

describe("Krippendorff's alpha (Krippendorff 2011, 4 observers × 12 units, missing data)", () => {
  it("reproduces the published coincidence matrix's margins (n = 40 pairable values)", () => {
    const { values, counts } = coincidenceMatrix(UNITS);
    expect(values).toEqual([1, 2, 3, 4, 5]);
    const marginals = counts.map((row) => row.reduce((a, b) => a + b, 0));
    // The paper's n_c: 9, 13, 10, 5, 3 (unit 12 has one value and is left out).
    expect(marginals.map((m) => Math.round(m * 1000) / 1000)).toEqual([9, 13, 10, 5, 3]);
    expect(counts[0][0]).toBeCloseTo(7, 10);
    expect(counts[0][1]).toBeCloseTo(4 / 3, 10);
  });

  it.each([
    ["nominal", 0.743],
    ["ordinal", 0.815],
    ["interval", 0.849],
  ] as const)("%s alpha is %s to three decimals", (metric, published) => {
    expect(krippendorffAlpha(UNITS, metric)!.toFixed(3)).toBe(published.toFixed(3));
  });

  it("gives the same alpha from summed cells as from the units (the SQL path)", () => {
    const { values, counts } = coincidenceMatrix(UNITS);
    const cells = values.flatMap((c, i) => values.map((k, j) => ({ c, k, weight: counts[i][j] / 2 })));
    const doubled = coincidencesFromPairs([...cells, ...cells]);
    expect(alphaFromCoincidences(doubled, "ordinal")).toBeCloseTo(krippendorffAlpha(UNITS, "ordinal")!, 12);
  });

  it("is 1 for perfect agreement, null when nothing can be compared or one value is all there is", () => {
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [1, 1, 1],
          [2, 2],
        ],
        "nominal",
      ),
    ).toBe(1);
    expect(krippendorffAlpha([[1, null], [2]], "nominal")).toBeNull();
    expect(
      krippendorffAlpha(
        [
          [3, 3],
          [3, 3, 3],
        ],
        "interval",
      ),
    ).toBeNull();
  });

  it("is below zero for systematic disagreement", () => {
    expect(
      krippendorffAlpha(
        [
          [1, 2],
          [2, 1],
          [1, 2],
          [2, 1],
        ],
        "nominal",
      )!,
    ).toBeLessThan(0);
  });
});

describe("raw agreement", () => {
  it("pools pairs over comparisons", () => {
    // k=2 agreeing (1 pair, 1 agrees); k=3 with 2 vs 1 (3 pairs, 1 agrees); k=2 disagreeing (1 pair, 0).
    const units = [pairCounts(["a", "a"]), pairCounts(["a", "a", "b"]), pairCounts(["a", "b"])];
    expect(units[1]).toEqual({ pairs: 3, agreeingPairs: 1 });
    expect(rawAgreement(units)).toBeCloseTo(2 / 5, 12);
    expect(rawAgreement([pairCounts(["a"])])).toBeNull();
  });
});

describe("the signed 8-point scale", () => {
  it("reads the screen side through the screen order, degree by DEGREE_RANK", () => {
    expect(signedScale({ chosenSide: "left", swapped: false, degree: "significantly_better" })).toBe(-4);
    expect(signedScale({ chosenSide: "left", swapped: true, degree: "significantly_better" })).toBe(4);
    expect(signedScale({ chosenSide: "right", swapped: false, degree: "negligibly_better_or_unsure" })).toBe(1);
    expect(signedScale({ chosenSide: "right", swapped: true, degree: "better" })).toBe(-3);
    expect(signedScaleFromSlot(1, "slightly_better")).toBe(2);
    expect(signedScaleFromSlot(0, "negligibly_better_or_unsure")).toBe(-1);
  });

  it("puts two annotators who saw opposite screens but chose the same response on the same point", () => {
    const a = signedScale({ chosenSide: "left", swapped: false, degree: "better" });
    const b = signedScale({ chosenSide: "right", swapped: true, degree: "better" });
    expect(a).toBe(b);
  });
});
