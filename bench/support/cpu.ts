// CPU seconds spent by processes, read from /proc: per-judgement CPU figures hold up on a noisy machine far better
// than throughput does (other work slows us down, but does not add to our processes' CPU time).
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

type ProcStat = { pid: number; ppid: number; comm: string; cpuSeconds: number };

function readStats(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.push({ pid: Number(entry), ppid: Number(fields[1]), comm, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

/** CPU seconds of a process and all its descendants (alive now). */
export function processTreeCpuSeconds(rootPids: number[]): number {
  const stats = readStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let total = 0;
  const queue = stats.filter((s) => rootPids.includes(s.pid));
  while (queue.length > 0) {
    const s = queue.pop()!;
    total += s.cpuSeconds;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return total;
}

/** CPU seconds of the Postgres backends serving `database` (their process title names it), alive now. */
export function postgresBackendCpuSeconds(database: string): number {
  let total = 0;
  for (const s of readStats()) {
    if (!s.comm.startsWith("postgres")) continue;
    try {
      const title = readFileSync(`/proc/${s.pid}/cmdline`, "utf8");
      if (title.includes(` ${database} `)) total += s.cpuSeconds;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** CPU seconds of every process whose command name starts with `name` (e.g. the postgres server's processes). */
export function commandCpuSeconds(name: string): number {
  return readStats()
    .filter((s) => s.comm.startsWith(name))
    .reduce((sum, s) => sum + s.cpuSeconds, 0);
}
