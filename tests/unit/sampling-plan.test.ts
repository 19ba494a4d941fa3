import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/seeded-random";
import { drawSamplingPlan, drawSeed, drawTemperature, MAX_SEED, type PlanVariant } from "@/lib/sampling-plan";

const variants: PlanVariant[] = [
  { id: "a", temperatureMin: 0.2, temperatureMax: 0.4, defaultTemperature: null },
  { id: "b", temperatureMin: 0.9, temperatureMax: 1.3, defaultTemperature: 0.5 },
  { id: "c", temperatureMin: null, temperatureMax: null, defaultTemperature: 0.7 },
  { id: "d", temperatureMin: null, temperatureMax: null, defaultTemperature: null },
];

describe("drawSamplingPlan", () => {
  it("always pairs two different variants, each at a temperature inside its own range, with an integer seed", () => {
    const random = seededRandom(1);
    for (let i = 0; i < 5000; i++) {
      const plan = drawSamplingPlan(variants, random);
      expect(plan[0].modelVariantId).not.toBe(plan[1].modelVariantId);
      for (const slot of plan) {
        const variant = variants.find((v) => v.id === slot.modelVariantId)!;
        if (variant.temperatureMin !== null && variant.temperatureMax !== null) {
          expect(slot.temperature).toBeGreaterThanOrEqual(variant.temperatureMin);
          expect(slot.temperature).toBeLessThanOrEqual(variant.temperatureMax);
        } else {
          expect(slot.temperature).toBe(variant.defaultTemperature);
        }
        expect(Number.isInteger(slot.seed)).toBe(true);
        expect(slot.seed).toBeGreaterThanOrEqual(0);
        expect(slot.seed).toBeLessThanOrEqual(MAX_SEED);
      }
    }
  });

  it("draws every ordered pair about equally often (uniform choice, either variant in either slot)", () => {
    const random = seededRandom(2);
    const counts = new Map<string, number>();
    const n = 24_000;
    for (let i = 0; i < n; i++) {
      const [first, second] = drawSamplingPlan(variants, random);
      const key = `${first.modelVariantId}${second.modelVariantId}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(12); // 4 × 3 ordered pairs, never a variant with itself
    for (const count of counts.values()) expect(Math.abs(count - n / 12)).toBeLessThan(n / 12 / 5);
  });

  it("spreads temperatures over the whole range", () => {
    const random = seededRandom(3);
    const drawn = Array.from({ length: 2000 }, () => drawTemperature(variants[1], random)!);
    expect(Math.min(...drawn)).toBeLessThan(0.95);
    expect(Math.max(...drawn)).toBeGreaterThan(1.25);
    const mean = drawn.reduce((a, b) => a + b, 0) / drawn.length;
    expect(mean).toBeCloseTo(1.1, 1);
  });

  it("is reproducible with the same random source, and uses the bounds when random() hits the edges", () => {
    expect(drawSamplingPlan(variants, seededRandom(9))).toEqual(drawSamplingPlan(variants, seededRandom(9)));
    expect(drawTemperature(variants[0], () => 0)).toBe(0.2);
    expect(drawTemperature(variants[0], () => 0.9999999)).toBe(0.4);
    expect(drawSeed(() => 0.9999999999)).toBeLessThanOrEqual(MAX_SEED);
    const lowest = drawSamplingPlan(variants, () => 0);
    expect(lowest.map((s) => s.modelVariantId)).toEqual(["a", "b"]);
    const highest = drawSamplingPlan(variants, () => 0.9999999);
    expect(highest.map((s) => s.modelVariantId)).toEqual(["d", "c"]);
  });

  it("refuses fewer than two variants, or the same variant twice", () => {
    expect(() => drawSamplingPlan(variants.slice(0, 1))).toThrow(/two different variants/);
    expect(() => drawSamplingPlan([variants[0], variants[0]])).toThrow(/distinct/);
  });
});
