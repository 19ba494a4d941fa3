// The reward-model margin of Llama 2 Table 27 (shared/docs/protocol.md) and the order of the four degrees.
// Loss: -log(sigmoid(r(x, y_c) - r(x, y_r) - m(r))), m(r) looked up by the degree of the judgement.
import type { Degree } from "./protocol";

export const MARGIN_MODES = ["none", "small", "large"] as const;
export type MarginMode = (typeof MARGIN_MODES)[number];

/** Table 27, per degree. Plain JS numbers (IEEE doubles), so 2/3 is 0.6666666666666666. */
export const MARGINS: Record<Exclude<MarginMode, "none">, Readonly<Record<Degree, number>>> = {
  small: { significantly_better: 1, better: 2 / 3, slightly_better: 1 / 3, negligibly_better_or_unsure: 0 },
  large: { significantly_better: 3, better: 2, slightly_better: 1, negligibly_better_or_unsure: 0 },
};

/** The margin for a degree, or undefined with "none" (the output then carries no margin at all). */
export function marginFor(degree: Degree, mode: MarginMode): number | undefined {
  return mode === "none" ? undefined : MARGINS[mode][degree];
}

/** Strength of a preference: higher is stronger. "Negligibly better / unsure" is still a side, rank 0. */
export const DEGREE_RANK: Readonly<Record<Degree, number>> = {
  significantly_better: 3,
  better: 2,
  slightly_better: 1,
  negligibly_better_or_unsure: 0,
};

/** True when `degree` is at least as strong as `minDegree`. */
export function meetsMinDegree(degree: Degree, minDegree: Degree): boolean {
  return DEGREE_RANK[degree] >= DEGREE_RANK[minDegree];
}
