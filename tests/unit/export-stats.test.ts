import { describe, expect, it } from "vitest";
import { ExportStatsCollector, scaleStats } from "@/lib/export-stats";

describe("export statistics", () => {
  const collector = new ExportStatsCollector();
  // Dialogue d1: turns 0 and 1; dialogue d2: turn 0. Tokens: context 0/10/0, prompt 4/6/5, responses (8, 12) each.
  const tokens = (context: number, prompt: number) => ({ context, prompt, responses: [8, 12] as [number, number] });
  collector.add({ dialogueId: "d1", comparisonId: "c1", turnIndex: 0, degree: "better", safetyBin: null, split: "train", tokens: tokens(0, 4) });
  collector.add({
    dialogueId: "d1",
    comparisonId: "c2",
    turnIndex: 1,
    degree: "slightly_better",
    safetyBin: "both_safe",
    split: "train",
    tokens: tokens(10, 6),
  });
  collector.add({ dialogueId: "d2", comparisonId: "c3", turnIndex: 0, degree: "better", safetyBin: null, split: "test", tokens: tokens(0, 5) });
  const stats = collector.result();

  it("counts rows, comparisons, dialogues and Table 6 averages", () => {
    expect(stats).toMatchObject({ rows: 3, comparisons: 3, dialogues: 2, perSplit: { train: 2, test: 1 } });
    expect(stats.perDegree).toEqual({ significantly_better: 0, better: 2, slightly_better: 1, negligibly_better_or_unsure: 0 });
    // turns: (2 + 1) / 2; example: (0+4+10 + 10+6+10 + 0+5+10) / 3; prompt: 15 / 3; response: 10.
    expect(stats.table6).toEqual({
      comparisons: 3,
      avgTurnsPerDialogue: 1.5,
      avgTokensPerExample: 18.3,
      avgTokensInPrompt: 5,
      avgTokensInResponse: 10,
    });
  });

  it("scales counts from a sample and keeps its averages", () => {
    const scaled = scaleStats(stats, 10.5);
    expect(scaled).toMatchObject({ rows: 32, comparisons: 32, dialogues: 21, perSplit: { train: 21, test: 11 } });
    expect(scaled.perDegree).toEqual({ significantly_better: 0, better: 21, slightly_better: 11, negligibly_better_or_unsure: 0 });
    expect(scaled.perSafetyBin.both_safe).toBe(11);
    expect(scaled.table6).toEqual({ ...stats.table6, comparisons: 32 });
  });
});
