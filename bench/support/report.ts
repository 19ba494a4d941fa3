// What every benchmark prints and commits beside itself: the machine it ran on, its figures, and whether each goal
// was met, as bench/<name>/last-run.json (committed, so the README's figures can be traced and rerun).
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type Machine = { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string; date: string };

export async function describeMachine(databaseUrl: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    return {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      postgres: rows[0].version.split(" on ")[0],
      date: new Date().toISOString(),
    };
  } finally {
    await client.end();
  }
}

export type Goal = { name: string; value: number; limit: number; kind: "min" | "max" };

export function goalMet(goal: Goal): boolean {
  return goal.kind === "min" ? goal.value >= goal.limit : goal.value <= goal.limit;
}

/** Prints the goals, writes last-run.json next to the bench, and returns the exit code (1 when a goal is missed). */
export function finishBench(benchDir: string, machine: Machine, figures: unknown, goals: Goal[]): number {
  for (const goal of goals) {
    const sign = goal.kind === "min" ? "≥" : "≤";
    console.log(`${goalMet(goal) ? "met   " : "MISSED"}  ${goal.name}: ${goal.value} (goal ${sign} ${goal.limit})`);
  }
  const file = path.join(benchDir, "last-run.json");
  writeFileSync(file, JSON.stringify({ machine, figures, goals: goals.map((g) => ({ ...g, met: goalMet(g) })) }, null, 2) + "\n");
  console.log(`written ${path.relative(process.cwd(), file)}`);
  return goals.every(goalMet) ? 0 : 1;
}

/** The q-th quantile (0–1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function latencySummary(values: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: values.length,
    p50: round(quantile(values, 0.5)),
    p95: round(quantile(values, 0.95)),
    p99: round(quantile(values, 0.99)),
    max: values.length ? round(values.reduce((m, v) => (v > m ? v : m), -Infinity)) : Number.NaN,
  };
}
