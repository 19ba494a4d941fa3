// npm run bench:export — export speed and memory against Postgres's own COPY, measured in the same run.
// Goals (issue 4): trl-reward and canonical stream at ≥ 0.5× the rows/s of `COPY (SELECT …) TO STDOUT` of the
// same rows through pg-copy-streams, and the exporting process's peak memory at 1,000,000 rows stays within
// 1.2× of its peak at 100,000; exits 1 when a goal is missed. BENCH_JUDGEMENTS and BENCH_SMALL change the sizes;
// BENCH_KEEP=1 keeps the database.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../../tests/support/test-database";
import { exportQuery } from "../../server/exports/export-sql";
import { inlineParameters } from "../../server/pg-pool";
import { generateBenchData } from "./generate";

const TOTAL = Number(process.env.BENCH_JUDGEMENTS ?? 1_000_000);
const SMALL = Number(process.env.BENCH_SMALL ?? 100_000);
const root = path.resolve(__dirname, "..", "..");

type ChildResult = { rows: number; bytes: number; seconds: number; maxRssMb: number };

/** The export's own SELECT, parameters inlined as the export inlines them (COPY takes none). */
function copySql(batches: string[]): string {
  const { text, values } = exportQuery({ batches }, null);
  return inlineParameters(text, values);
}

async function copyBaseline(url: string, batches: string[]): Promise<{ rows: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    const stream = client.query(copyTo(`COPY (${copySql(batches)}) TO STDOUT`));
    let rows = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows += 1;
    }
    return { rows, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await client.end();
  }
}

function exportInChild(url: string, format: string, batches: string[]): ChildResult {
  const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["bench/export/export-child.ts", format, ...batches], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, NEXTAUTH_SECRET: "bench-secret-0123456789abcdef", NODE_ENV: "production" },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`export child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!);
}

async function main() {
  const name = uniqueDatabaseName("pairwise_bench");
  console.error(`database ${name}: migrating`);
  const url = await createTestDatabase(name);
  try {
    let t = Date.now();
    const data = await generateBenchData(url, TOTAL, SMALL);
    console.error(`generated ${TOTAL.toLocaleString("en")} judgements in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const all = [data.smallBatch, data.largeBatch];
    const small = [data.smallBatch];

    t = Date.now();
    const copy = await copyBaseline(url, all);
    console.error(`COPY baseline: ${copy.rows} rows in ${copy.seconds.toFixed(2)} s`);
    const results: Record<string, ChildResult> = {};
    for (const format of ["trl-reward", "canonical"]) {
      results[`${format} ${SMALL}`] = exportInChild(url, format, small);
      results[`${format} ${TOTAL}`] = exportInChild(url, format, all);
      console.error(`${format}: done`);
    }
    // A second COPY after the exports, so that a warmer cache does not favour one side.
    const copyAgain = await copyBaseline(url, all);
    const copyRate = Math.max(copy.rows / copy.seconds, copyAgain.rows / copyAgain.seconds);

    const report = {
      judgements: TOTAL,
      small: SMALL,
      copy: { rows: copy.rows, rowsPerSecond: Math.round(copyRate) },
      exports: Object.fromEntries(
        Object.entries(results).map(([key, r]) => [
          key,
          { rows: r.rows, seconds: Number(r.seconds.toFixed(2)), rowsPerSecond: Math.round(r.rows / r.seconds), maxRssMb: Math.round(r.maxRssMb) },
        ]),
      ),
      ratios: {} as Record<string, number>,
      missed: [] as string[],
    };
    for (const format of ["trl-reward", "canonical"]) {
      const big = results[`${format} ${TOTAL}`];
      const little = results[`${format} ${SMALL}`];
      const speed = Number((big.rows / big.seconds / copyRate).toFixed(3));
      const memory = Number((big.maxRssMb / little.maxRssMb).toFixed(3));
      report.ratios[`${format} speed vs COPY (goal ≥ 0.5)`] = speed;
      report.ratios[`${format} peak memory ${TOTAL} / ${SMALL} rows (goal ≤ 1.2)`] = memory;
      if (speed < 0.5) report.missed.push(`${format} speed ${speed} < 0.5`);
      if (memory > 1.2) report.missed.push(`${format} memory ${memory} > 1.2`);
    }
    mkdirSync(path.join(root, "bench", "out"), { recursive: true });
    writeFileSync(path.join(root, "bench", "out", "export.json"), JSON.stringify(report, null, 2) + "\n");
    console.log(JSON.stringify(report, null, 2));
    if (report.missed.length > 0) {
      console.error(`goals missed: ${report.missed.join("; ")}`);
      process.exitCode = 1;
    } else {
      console.error("goals met");
    }
  } finally {
    if (process.env.BENCH_KEEP !== "1") await dropTestDatabase(name);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
