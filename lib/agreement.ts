// Agreement between annotators who judged the same comparison (overlap k ≥ 2): raw agreement on the side, and
// Krippendorff's alpha by the coincidence-matrix method (K. Krippendorff, "Computing Krippendorff's Alpha-
// Reliability", 2011), which allows any number of coders per unit and missing values.
//
// A unit is one comparison; its values are its judgements. Units with fewer than two values are not pairable and
// count for nothing. The coincidence matrix o[c][k] = Σ_u (pairs of values c, k in u) / (m_u − 1) is all alpha
// needs, so it can also be summed in SQL (server/insights/queries.ts) and handed here: nothing holds every judgement.
//   α = 1 − (n − 1) · Σ o[c][k] δ²(c,k) / Σ n_c n_k δ²(c,k),   n_c = Σ_k o[c][k],  n = Σ_c n_c
import { DEGREE_RANK } from "./margin";
import type { Degree, Side } from "./protocol";

export const ALPHA_METRICS = ["nominal", "ordinal", "interval"] as const;
export type AlphaMetric = (typeof ALPHA_METRICS)[number];

/** Coincidences between values: `values` sorted ascending, `counts[i][j]` = o(values[i], values[j]) (symmetric). */
export type Coincidences = { values: number[]; counts: number[][] };

/** Sums the coincidences of units, each a list of its values (null/undefined: missing). */
export function coincidenceMatrix(units: readonly (readonly (number | null | undefined)[])[]): Coincidences {
  const values = [...new Set(units.flatMap((u) => u.filter((v): v is number => v !== null && v !== undefined)))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const counts = values.map(() => values.map(() => 0));
  for (const unit of units) {
    const present = unit.filter((v): v is number => v !== null && v !== undefined);
    const m = present.length;
    if (m < 2) continue;
    const perValue = new Map<number, number>();
    for (const v of present) perValue.set(v, (perValue.get(v) ?? 0) + 1);
    for (const [c, nc] of perValue) {
      for (const [k, nk] of perValue) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        counts[index.get(c)!][index.get(k)!] += pairs / (m - 1);
      }
    }
  }
  return { values, counts };
}

/** Builds coincidences from summed cells (c, k, o[c][k]), as SQL returns them; repeated cells add up. */
export function coincidencesFromPairs(rows: readonly { c: number; k: number; weight: number }[]): Coincidences {
  const values = [...new Set(rows.flatMap((r) => [r.c, r.k]))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const counts = values.map(() => values.map(() => 0));
  for (const r of rows) counts[index.get(r.c)!][index.get(r.k)!] += r.weight;
  return { values, counts };
}

function delta2(metric: AlphaMetric, c: number, k: number, ci: number, ki: number, marginals: number[]): number {
  if (metric === "nominal") return c === k ? 0 : 1;
  if (metric === "interval") return (c - k) ** 2;
  // Ordinal: the ranks between c and k, weighted by how often each value was used.
  const [lo, hi] = ci <= ki ? [ci, ki] : [ki, ci];
  let sum = 0;
  for (let g = lo; g <= hi; g++) sum += marginals[g];
  return (sum - (marginals[ci] + marginals[ki]) / 2) ** 2;
}

/** Alpha from a coincidence matrix; null when there is nothing to judge (no pairable values, or one value only). */
export function alphaFromCoincidences({ values, counts }: Coincidences, metric: AlphaMetric): number | null {
  const marginals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const n = marginals.reduce((a, b) => a + b, 0);
  if (n <= 1) return null;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      const d = delta2(metric, values[i], values[j], i, j, marginals);
      observed += counts[i][j] * d;
      expected += marginals[i] * marginals[j] * d;
    }
  }
  if (expected === 0) return null; // every value the same: agreement is total but alpha is undefined
  return 1 - ((n - 1) * observed) / expected;
}

/** Krippendorff's alpha over units (each a list of its coders' values, null for missing). */
export function krippendorffAlpha(units: readonly (readonly (number | null | undefined)[])[], metric: AlphaMetric): number | null {
  return alphaFromCoincidences(coincidenceMatrix(units), metric);
}

/** Pairs of judgements of one comparison, and how many of them chose the same response. */
export type PairCounts = { pairs: number; agreeingPairs: number };

/** Counts the pairs within one unit: `choices` are the responses (or sides in a fixed orientation) chosen. */
export function pairCounts(choices: readonly (string | number)[]): PairCounts {
  const per = new Map<string | number, number>();
  for (const c of choices) per.set(c, (per.get(c) ?? 0) + 1);
  const m = choices.length;
  let agreeing = 0;
  for (const n of per.values()) agreeing += (n * (n - 1)) / 2;
  return { pairs: (m * (m - 1)) / 2, agreeingPairs: agreeing };
}

/**
 * Raw agreement: the share of pairs of judgements of the same comparison that chose the same response, pooled over
 * comparisons (a comparison with k judgements gives k(k−1)/2 pairs). Null with no pair.
 */
export function rawAgreement(units: readonly PairCounts[]): number | null {
  let pairs = 0;
  let agreeing = 0;
  for (const u of units) {
    pairs += u.pairs;
    agreeing += u.agreeingPairs;
  }
  return pairs === 0 ? null : agreeing / pairs;
}

// The signed 8-point scale of the protocol, read in the comparison's own order (its first stored response is
// "left", whatever side each annotator saw it on): −4 left significantly better … −1 left negligibly better / unsure,
// +1 right negligibly better / unsure … +4 right significantly better. There is no 0: the protocol has no tie.
export const SCALE_POINTS = [-4, -3, -2, -1, 1, 2, 3, 4] as const;
export type ScalePoint = (typeof SCALE_POINTS)[number];

/**
 * A judgement on the signed scale. `chosenSide` is the side of the screen the annotator picked, `swapped` whether
 * that screen showed the comparison's second stored response on the left (Assignment.leftResponseId).
 */
export function signedScale(judgement: { chosenSide: Side; swapped: boolean; degree: Degree }): ScalePoint {
  const magnitude = DEGREE_RANK[judgement.degree] + 1;
  const firstChosen = (judgement.chosenSide === "left") !== judgement.swapped;
  return (firstChosen ? -magnitude : magnitude) as ScalePoint;
}

/** The same, from the chosen response's stored slot (0: first, 1: second), as the database records it. */
export function signedScaleFromSlot(chosenSlot: 0 | 1, degree: Degree): ScalePoint {
  const magnitude = DEGREE_RANK[degree] + 1;
  return (chosenSlot === 0 ? -magnitude : magnitude) as ScalePoint;
}
