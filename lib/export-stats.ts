// Counts and the Table 6 statistics of an export, accumulated row by row in constant memory. Rows arrive
// grouped by dialogue, then by comparison (server/exports/export-sql.ts orders them so).
import { DEGREES, SAFETY_BINS, type Degree, type SafetyBin } from "./protocol";

export type TokenCounts = { context: number; prompt: number; responses: [number, number] };

export type ExportStats = {
  rows: number;
  comparisons: number;
  dialogues: number;
  perDegree: Record<Degree, number>;
  perSafetyBin: Record<SafetyBin | "none", number>;
  perSplit: { train: number; test: number };
  /** Table 6 (Touvron et al. 2023), over the rows exported; null without token counts. */
  table6: {
    comparisons: number;
    avgTurnsPerDialogue: number;
    avgTokensPerExample: number;
    avgTokensInPrompt: number;
    avgTokensInResponse: number;
  } | null;
};

type Row = {
  dialogueId: string;
  comparisonId: string;
  turnIndex: number;
  degree: Degree;
  safetyBin: SafetyBin | null;
  split: "train" | "test";
  tokens: TokenCounts | null;
};

export class ExportStatsCollector {
  private rows = 0;
  private comparisons = 0;
  private dialogues = 0;
  private turnsSum = 0;
  private lastDialogue: string | null = null;
  private lastComparison: string | null = null;
  private dialogueTurns = 0;
  private readonly perDegree = Object.fromEntries(DEGREES.map((d) => [d, 0])) as Record<Degree, number>;
  private readonly perSafetyBin = Object.fromEntries([...SAFETY_BINS, "none"].map((b) => [b, 0])) as Record<SafetyBin | "none", number>;
  private readonly perSplit = { train: 0, test: 0 };
  private tokenRows = 0;
  private exampleTokens = 0;
  private promptTokens = 0;
  private responseTokens = 0;

  add(row: Row): void {
    this.rows += 1;
    if (row.dialogueId !== this.lastDialogue) {
      this.closeDialogue();
      this.lastDialogue = row.dialogueId;
      this.dialogues += 1;
    }
    // Turns of a dialogue: its highest exported turn index + 1 (imported items count their context turns).
    this.dialogueTurns = Math.max(this.dialogueTurns, row.turnIndex + 1);
    if (row.comparisonId !== this.lastComparison) {
      this.lastComparison = row.comparisonId;
      this.comparisons += 1;
    }
    this.perDegree[row.degree] += 1;
    this.perSafetyBin[row.safetyBin ?? "none"] += 1;
    this.perSplit[row.split] += 1;
    if (row.tokens) {
      const response = (row.tokens.responses[0] + row.tokens.responses[1]) / 2;
      this.tokenRows += 1;
      // An example is the whole dialogue so far, the prompt, and a response (the mean of the pair).
      this.exampleTokens += row.tokens.context + row.tokens.prompt + response;
      this.promptTokens += row.tokens.prompt;
      this.responseTokens += response;
    }
  }

  private closeDialogue(): void {
    this.turnsSum += this.dialogueTurns;
    this.dialogueTurns = 0;
  }

  result(): ExportStats {
    const turnsSum = this.turnsSum + this.dialogueTurns;
    const round = (value: number) => Math.round(value * 10) / 10;
    const withTokens = this.tokenRows > 0 && this.tokenRows === this.rows;
    return {
      rows: this.rows,
      comparisons: this.comparisons,
      dialogues: this.dialogues,
      perDegree: { ...this.perDegree },
      perSafetyBin: { ...this.perSafetyBin },
      perSplit: { ...this.perSplit },
      table6: withTokens
        ? {
            comparisons: this.comparisons,
            avgTurnsPerDialogue: round(turnsSum / Math.max(1, this.dialogues)),
            avgTokensPerExample: round(this.exampleTokens / this.rows),
            avgTokensInPrompt: round(this.promptTokens / this.rows),
            avgTokensInResponse: round(this.responseTokens / this.rows),
          }
        : null,
    };
  }
}

/**
 * Statistics measured on a sample, scaled to the whole selection: counts multiplied by `factor` and rounded,
 * averages (Table 6) kept as measured. An estimate: the datasets page says so, and a saved dataset's manifest
 * holds the exact figures.
 */
export function scaleStats(stats: ExportStats, factor: number): ExportStats {
  const scale = (n: number) => Math.round(n * factor);
  const scaleAll = <K extends string>(counts: Record<K, number>) =>
    Object.fromEntries(Object.entries<number>(counts).map(([k, n]) => [k, scale(n)])) as Record<K, number>;
  return {
    rows: scale(stats.rows),
    comparisons: scale(stats.comparisons),
    dialogues: scale(stats.dialogues),
    perDegree: scaleAll(stats.perDegree),
    perSafetyBin: scaleAll(stats.perSafetyBin),
    perSplit: { train: scale(stats.perSplit.train), test: scale(stats.perSplit.test) },
    table6: stats.table6 && { ...stats.table6, comparisons: scale(stats.table6.comparisons) },
  };
}
