// The protocol's pairing rule, drawn once per prompt: two different model variants, each at a temperature
// from its own range, each with its own seed. Pure, with an injectable random source so tests can pin it.

/** A source of uniform numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

export type PlanVariant = {
  id: string;
  temperatureMin: number | null;
  temperatureMax: number | null;
  /** The variant's default temperature, used when it has no range; null sends none (the endpoint decides). */
  defaultTemperature: number | null;
};

/** What one response slot will be sampled with. Stored as the GenerationItem plan, one per slot. */
export type PlannedSlot = { modelVariantId: string; temperature: number | null; seed: number };

export type SamplingPlan = [PlannedSlot, PlannedSlot];

/** Seeds stay within a signed 32-bit integer: every OpenAI-compatible server accepts that range. */
export const MAX_SEED = 2 ** 31 - 1;

function uniformIndex(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** A temperature uniform in [min, max], rounded to 3 decimals and kept inside the range. */
export function drawTemperature(variant: PlanVariant, random: RandomSource): number | null {
  const { temperatureMin: min, temperatureMax: max } = variant;
  if (min === null || max === null) return variant.defaultTemperature;
  const drawn = Math.round((min + random() * (max - min)) * 1000) / 1000;
  return Math.min(max, Math.max(min, drawn));
}

export function drawSeed(random: RandomSource): number {
  return Math.min(MAX_SEED, Math.floor(random() * (MAX_SEED + 1)));
}

/**
 * Two different variants chosen uniformly among `variants` (every ordered pair equally likely, so either
 * variant lands in slot 0 or 1 with the same odds), each with its temperature and seed.
 */
export function drawSamplingPlan(variants: readonly PlanVariant[], random: RandomSource = Math.random): SamplingPlan {
  const distinct = new Set(variants.map((v) => v.id));
  if (distinct.size !== variants.length) throw new Error("drawSamplingPlan: the variants must be distinct.");
  if (variants.length < 2) throw new Error(`drawSamplingPlan: two different variants are needed, got ${variants.length}.`);
  const first = uniformIndex(random, variants.length);
  let second = uniformIndex(random, variants.length - 1);
  if (second >= first) second += 1;
  return [first, second].map((index) => {
    const variant = variants[index];
    return { modelVariantId: variant.id, temperature: drawTemperature(variant, random), seed: drawSeed(random) };
  }) as SamplingPlan;
}
