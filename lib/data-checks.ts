// Data checks on annotators (and vendors): an exact binomial test for position bias, and outlier flags with the
// reason in words. Pure: the figures (counts, medians, gold accuracy) come in already summed by SQL.

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBinomialPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p);
}

/**
 * Two-sided exact binomial test of `successes` in `trials` against probability `p` (default ½): the probability of
 * every outcome no more likely than the one observed, as R's binom.test computes it (with its 1 + 10⁻⁷ tolerance).
 */
export function binomialTest(successes: number, trials: number, p = 0.5): number {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new Error(`binomialTest needs whole numbers 0 ≤ successes ≤ trials, got ${successes} of ${trials}`);
  }
  if (trials === 0) return 1;
  const observed = logBinomialPmf(successes, trials, p) + Math.log(1 + 1e-7);
  // Sum in log space from the largest term, so tiny p-values keep their digits instead of underflowing to 0 early.
  const terms: number[] = [];
  for (let k = 0; k <= trials; k++) {
    const term = logBinomialPmf(k, trials, p);
    if (term <= observed) terms.push(term);
  }
  if (terms.length === 0) return 1;
  const max = Math.max(...terms);
  const sum = terms.reduce((a, t) => a + Math.exp(t - max), 0);
  return Math.min(1, Math.exp(max) * sum);
}

/** A p-value as people read it: "p < 0.001", "p = 0.012". */
export function formatP(p: number): string {
  if (p < 0.001) return "p < 0.001";
  return `p = ${p.toFixed(3)}`;
}

export type AnnotatorFigures = {
  id: string;
  name: string;
  judgements: number;
  leftChoices: number;
  /** Median time per judgement, in milliseconds; null without judgements. */
  medianMs: number | null;
  /** Share of gold items answered as expected, and how many gold items; null until gold items exist. */
  goldAccuracy?: number | null;
  goldItems?: number;
};

export type CheckThresholds = {
  /** Position bias is flagged below this p-value and with a left share at least `minBias` away from ½. */
  biasP: number;
  minBias: number;
  /** Too fast: a median under this many seconds. */
  fastSeconds: number;
  /** Gold accuracy below this share is low. */
  goldAccuracy: number;
  /** Judgements (gold items) needed before the speed and bias (gold) checks speak. */
  minJudgements: number;
  minGoldItems: number;
};

export const DEFAULT_THRESHOLDS: CheckThresholds = {
  biasP: 0.001,
  minBias: 0.1,
  fastSeconds: 5,
  goldAccuracy: 0.7,
  minJudgements: 20,
  minGoldItems: 10,
};

export type Flag = { kind: "position_bias" | "too_fast" | "low_gold_accuracy"; reason: string };

export type AnnotatorCheck = AnnotatorFigures & { leftShare: number | null; biasP: number | null; flags: Flag[] };

const percent = (share: number) => `${Math.round(share * 100)}%`;

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${Number(s.toFixed(1))} s` : `${Math.round(s)} s`;
}

/** The checks of one annotator (or vendor): figures with the flags that apply, each with its reason in words. */
export function checkAnnotator(figures: AnnotatorFigures, thresholds: CheckThresholds = DEFAULT_THRESHOLDS): AnnotatorCheck {
  const flags: Flag[] = [];
  const leftShare = figures.judgements > 0 ? figures.leftChoices / figures.judgements : null;
  const biasP = figures.judgements > 0 ? binomialTest(figures.leftChoices, figures.judgements) : null;
  if (
    leftShare !== null &&
    biasP !== null &&
    figures.judgements >= thresholds.minJudgements &&
    biasP < thresholds.biasP &&
    Math.abs(leftShare - 0.5) >= thresholds.minBias
  ) {
    const side = leftShare > 0.5 ? "left" : "right";
    const share = leftShare > 0.5 ? leftShare : 1 - leftShare;
    flags.push({ kind: "position_bias", reason: `chose the ${side} response ${percent(share)} of the time (${formatP(biasP)})` });
  }
  if (figures.medianMs !== null && figures.judgements >= thresholds.minJudgements && figures.medianMs < thresholds.fastSeconds * 1000) {
    flags.push({ kind: "too_fast", reason: `took ${seconds(figures.medianMs)} per judgement (median), under ${thresholds.fastSeconds} s` });
  }
  const gold = figures.goldAccuracy;
  if (gold !== null && gold !== undefined && (figures.goldItems ?? 0) >= thresholds.minGoldItems && gold < thresholds.goldAccuracy) {
    flags.push({
      kind: "low_gold_accuracy",
      reason: `answered ${percent(gold)} of ${figures.goldItems} gold items as expected, under ${percent(thresholds.goldAccuracy)}`,
    });
  }
  return { ...figures, leftShare, biasP, flags };
}
