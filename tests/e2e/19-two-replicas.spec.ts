// Two `next start` replicas on one Postgres, the load split between them: every rule of the queue holds (exactly k
// judgements per comparison, never one annotator twice, every acknowledged judgement stored once), because nothing
// the hot path needs lives in one process's memory. The small form of bench/load's replica phase.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { ADMIN_URL } from "../support/test-database";
import { PASSWORD } from "./fixtures";
import { e2eState } from "./helpers";
import { makeBatch } from "./own-setup";

const ROOT = path.resolve(__dirname, "..", "..");
// Clear of the ports other specs take (10-outage uses 3124).
const SECOND_PORT = Number(process.env.E2E_PORT ?? 3123) + 11;
const ANNOTATORS = 8;
const OVERLAP = 2;
const COMPARISONS = 24;

function databaseUrl(): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${process.env.E2E_DATABASE_NAME}`;
  return url.toString();
}

async function startSecondReplica(): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://127.0.0.1:${SECOND_PORT}`;
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(SECOND_PORT), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(),
      NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef",
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the second replica exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/api/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child };
    if (Date.now() > deadline) throw new Error("the second replica did not answer within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function annotatorToken(request: APIRequestContext): Promise<string> {
  const admin = { authorization: `Bearer ${e2eState().tokens.admin}` };
  const created = await request.post("/api/v1/users", {
    data: { email: `replica-${randomUUID().slice(0, 8)}@own.test`, role: "annotator", password: PASSWORD },
    headers: admin,
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const token = await request.post("/api/v1/tokens", { data: { userId: id, name: "replica" }, headers: admin });
  expect(token.status(), await token.text()).toBe(201);
  return ((await token.json()) as { token: string }).token;
}

test("two replicas on one Postgres keep every rule of the queue", async ({ request, baseURL }) => {
  test.setTimeout(120_000);
  const items = Array.from({ length: COMPARISONS }, (_, i) => ({
    prompt: `Replica prompt ${i + 1}`,
    left: `Left ${i + 1}`,
    right: `Right ${i + 1}`,
  }));
  const batchId = await makeBatch(request, items, { overlap: OVERLAP });
  const tokens = await Promise.all(Array.from({ length: ANNOTATORS }, () => annotatorToken(request)));
  const second = await startSecondReplica();
  try {
    const servers = [baseURL!, second.url];
    const acknowledged: string[] = [];
    const servedBy = new Map<string, number>();
    const post = async (server: string, route: string, token: string, body: unknown) => {
      servedBy.set(server, (servedBy.get(server) ?? 0) + 1);
      return fetch(`${server}${route}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    };
    // Each annotator claims on one replica and submits on the other, alternating, until the queue has nothing for them.
    await Promise.all(
      tokens.map(async (token, i) => {
        for (let round = 0; ; round++) {
          const claimOn = servers[(i + round) % 2];
          const submitOn = servers[(i + round + 1) % 2];
          const claim = await post(claimOn, "/api/v1/tasks/claim", token, { batchId });
          if (claim.status === 204) return;
          expect(claim.status, await claim.clone().text()).toBe(200);
          const { assignmentId } = (await claim.json()) as { assignmentId: string };
          const body = { assignmentId, chosen: round % 2 ? "left" : "right", degree: "better", idempotencyKey: randomUUID(), timeSpentMs: 1000 };
          const submit = await post(submitOn, "/api/v1/judgements", token, body);
          expect(submit.status, await submit.clone().text()).toBe(200);
          const { id } = (await submit.json()) as { id: string };
          acknowledged.push(id);
          // The same key again, on the other replica: the same judgement, not a second one.
          const retry = await post(claimOn, "/api/v1/judgements", token, body);
          expect(retry.status).toBe(200);
          expect(((await retry.json()) as { id: string }).id).toBe(id);
        }
      }),
    );
    // Both replicas served a real share of the work.
    for (const server of servers) expect(servedBy.get(server) ?? 0, server).toBeGreaterThan(COMPARISONS);

    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      const perComparison = await client.query<{ judgements: number; annotators: number }>(
        `SELECT count(j.id)::int AS judgements, count(DISTINCT j."annotatorId")::int AS annotators
           FROM "Comparison" c LEFT JOIN "Judgement" j ON j."comparisonId" = c.id WHERE c."batchId" = $1 GROUP BY c.id`,
        [batchId],
      );
      expect(perComparison.rows).toHaveLength(COMPARISONS);
      for (const row of perComparison.rows) expect(row).toEqual({ judgements: OVERLAP, annotators: OVERLAP });
      expect(new Set(acknowledged).size).toBe(COMPARISONS * OVERLAP);
      const stored = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Judgement" WHERE id = ANY($1::text[])`, [acknowledged]);
      expect(stored.rows[0].n).toBe(COMPARISONS * OVERLAP);
      const counters = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Comparison" c WHERE c."batchId" = $1 AND c."openSlots" <> 0`,
        [batchId],
      );
      expect(counters.rows[0].n, "open-slot counters agree with the judgements").toBe(0);
    } finally {
      await client.end();
    }
  } finally {
    second.child.kill("SIGTERM");
  }
});
