// A model leaderboard from pairwise judgements: every judgement is a win of one model variant over another (the
// protocol has no tie). Bradley–Terry: P(i beats j) = p_i / (p_i + p_j), fitted by Zermelo's iteration in the
// minorisation–maximisation form of Hunter (2004, "MM algorithms for generalized Bradley–Terry models").
// Scores are log-strengths centred at mean 0 (a score 1 higher means e ≈ 2.7 times the odds of winning).
//
// Input is counts of wins per ordered pair (and per degree), as SQL aggregates them: nothing here holds judgements.
// Intervals come from a bootstrap stratified by pair: each pair's n judgements are redrawn with replacement, so its
// wins are Binomial(n, observed share); a seeded PRNG makes them the same on every run.
import { DEGREES, type Degree } from "./protocol";
import { seededRandom } from "./seeded-random";

/** Wins of `winner` over `loser` with this degree (the winner was the chosen response). */
export type WinCount = { winner: string; loser: string; degree: Degree; wins: number };

export type LeaderboardRow = {
  variant: string;
  score: number;
  /** The bootstrap 95% interval of the score (2.5th and 97.5th percentiles). */
  low: number;
  high: number;
  rank: number;
  wins: number;
  games: number;
};

export type Leaderboard = {
  variants: string[];
  rows: LeaderboardRow[];
  /** winRate[i][j]: share of judgements between variants i and j that i won; null when they never met. */
  winRate: (number | null)[][];
  /** Per degree, each variant's wins over its games judged with that degree. */
  byDegree: { degree: Degree; variant: string; wins: number; games: number; winRate: number | null }[];
  bootstrap: number;
  judgements: number;
};

function standardNormal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A Binomial(n, p) draw: by inversion while the mean is small, by the normal approximation (rounded, clamped) once
 * n·p·(1−p) > 100, where its error is far below the bootstrap's own.
 */
export function binomial(n: number, p: number, random: () => number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const variance = n * p * (1 - p);
  if (variance > 100) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * standardNormal(random))));
  if (p > 0.5) return n - binomial(n, 1 - p, random);
  // Inversion: walk the pmf from 0 (expected steps ≈ n·p ≤ about 200 here).
  const q = 1 - p;
  let pmf = q ** n;
  if (pmf === 0) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * standardNormal(random))));
  let cdf = pmf;
  const u = random();
  let k = 0;
  while (u > cdf && k < n) {
    pmf *= ((n - k) / (k + 1)) * (p / q);
    k++;
    cdf += pmf;
  }
  return k;
}

/**
 * Log-strengths (mean 0) from a wins matrix, wins[i][j] = times i beat j. A variant that never won (or never lost)
 * has no finite maximum-likelihood strength; `prior` adds that many virtual wins and losses against each other
 * variant it met, which keeps every score finite and moves large samples negligibly.
 */
export function fitBradleyTerry(
  wins: readonly (readonly number[])[],
  options: { prior?: number; iterations?: number; tolerance?: number } = {},
): number[] {
  const k = wins.length;
  const prior = options.prior ?? 0.5;
  const w = wins.map((row, i) => row.map((x, j) => (i === j ? 0 : x + (x + wins[j][i] > 0 ? prior : 0))));
  const totalWins = w.map((row) => row.reduce((a, b) => a + b, 0));
  let p = Array.from({ length: k }, () => 1);
  for (let it = 0; it < (options.iterations ?? 10_000); it++) {
    const next = p.map((pi, i) => {
      let denominator = 0;
      for (let j = 0; j < k; j++) if (j !== i) denominator += (w[i][j] + w[j][i]) / (pi + p[j]);
      return denominator === 0 ? pi : totalWins[i] / denominator;
    });
    // Normalise to geometric mean 1 and stop when nothing moves.
    const logMean = next.reduce((a, x) => a + Math.log(x), 0) / k;
    const normalised = next.map((x) => x / Math.exp(logMean));
    const change = Math.max(...normalised.map((x, i) => Math.abs(Math.log(x) - Math.log(p[i]))));
    p = normalised;
    if (change < (options.tolerance ?? 1e-10)) break;
  }
  return p.map((x) => Math.log(x));
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

/** The leaderboard: fit, bootstrap intervals, win-rate matrix and win rates split by degree. */
export function leaderboard(counts: readonly WinCount[], options: { bootstrap?: number; seed?: number; prior?: number } = {}): Leaderboard {
  const bootstrap = options.bootstrap ?? 200;
  const variants = [...new Set(counts.flatMap((c) => [c.winner, c.loser]))].sort();
  const index = new Map(variants.map((v, i) => [v, i]));
  const k = variants.length;
  const wins = variants.map(() => variants.map(() => 0));
  for (const c of counts) {
    if (c.winner === c.loser) continue; // a variant against itself tells nothing about its rank
    wins[index.get(c.winner)!][index.get(c.loser)!] += c.wins;
  }
  const fit = { prior: options.prior };
  const scores = k > 0 ? fitBradleyTerry(wins, fit) : [];

  const random = seededRandom(options.seed ?? 1);
  const draws: number[][] = variants.map(() => []);
  for (let b = 0; b < (k > 1 ? bootstrap : 0); b++) {
    const resampled = variants.map(() => variants.map(() => 0));
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const n = wins[i][j] + wins[j][i];
        if (n === 0) continue;
        const x = binomial(n, wins[i][j] / n, random);
        resampled[i][j] = x;
        resampled[j][i] = n - x;
      }
    }
    fitBradleyTerry(resampled, fit).forEach((s, i) => draws[i].push(s));
  }

  const order = variants.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const rows: LeaderboardRow[] = order.map((i, position) => {
    const sorted = [...draws[i]].sort((a, b) => a - b);
    const games = wins[i].reduce((a, x, j) => a + x + wins[j][i], 0);
    return {
      variant: variants[i],
      score: scores[i],
      low: sorted.length > 0 ? quantile(sorted, 0.025) : scores[i],
      high: sorted.length > 0 ? quantile(sorted, 0.975) : scores[i],
      rank: position + 1,
      wins: wins[i].reduce((a, x) => a + x, 0),
      games,
    };
  });

  const winRate = variants.map((_, i) =>
    variants.map((__, j) => (i === j || wins[i][j] + wins[j][i] === 0 ? null : wins[i][j] / (wins[i][j] + wins[j][i]))),
  );

  const byDegree: Leaderboard["byDegree"] = [];
  for (const degree of DEGREES) {
    for (const variant of variants) {
      let won = 0;
      let games = 0;
      for (const c of counts) {
        if (c.degree !== degree || c.winner === c.loser) continue;
        if (c.winner === variant) won += c.wins;
        if (c.winner === variant || c.loser === variant) games += c.wins;
      }
      byDegree.push({ degree, variant, wins: won, games, winRate: games === 0 ? null : won / games });
    }
  }
  const judgements = counts.reduce((a, c) => a + (c.winner === c.loser ? 0 : c.wins), 0);
  return { variants, rows, winRate, byDegree, bootstrap: k > 1 ? bootstrap : 0, judgements };
}
