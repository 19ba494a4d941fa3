// Postgres out of reach: a second server reaches the suite's database through a TCP proxy that the test cuts. The
// API answers 503 unavailable with Retry-After, /api/ready says so while /api/health stays up, pages show a calm
// "reconnecting" state, and the judgement the annotator made during the outage is sent by itself when the database
// answers again, once. The server recovers without a restart.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN_URL } from "../support/test-database";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { PASSWORD, USERS } from "./fixtures";
import { e2eState } from "./helpers";

const PORT = 3124;
const OWN = `http://127.0.0.1:${PORT}`;

function as(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function makeBatch(request: APIRequestContext, adminToken: string): Promise<string> {
  const created = await request.post("/api/v1/batches", {
    data: { name: "Outage batch", focus: "helpfulness", overlap: 1, guidelines: "Pick one." },
    headers: as(adminToken),
  });
  const { id } = (await created.json()) as { id: string };
  const line = (i: number) =>
    JSON.stringify({
      prompt: `Outage prompt ${i}`,
      responses: [
        { content: `left ${i}`, model: { name: "m", version: "1" } },
        { content: `right ${i}`, model: { name: "m", version: "2" } },
      ],
    });
  expect(
    (await request.post(`/api/v1/batches/${id}/items?format=pairwise`, { data: [1, 2, 3].map(line).join("\n"), headers: as(adminToken) })).status(),
  ).toBe(200);
  expect((await request.post(`/api/v1/batches/${id}/status`, { data: { status: "active" }, headers: as(adminToken) })).status()).toBe(200);
  return id;
}

async function startServer(databaseUrl: string): Promise<ChildProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const child = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef", NEXTAUTH_URL: OWN },
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${OWN}/api/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error("the second server did not start");
}

test("an outage: 503 with Retry-After, pages reconnect, and the kept judgement is sent once when the database answers", async ({
  page,
  playwright,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { tokens } = e2eState();
  const api = await playwright.request.newContext({ baseURL });
  const batchId = await makeBatch(api, tokens.admin);

  const database = new URL(ADMIN_URL);
  let proxy: TcpProxy | null = null;
  let server: ChildProcess | null = null;
  try {
    proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    const viaProxy = new URL(ADMIN_URL);
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${process.env.E2E_DATABASE_NAME}`;
    server = await startServer(viaProxy.toString());

    await page.goto(`${OWN}/sign-in`);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
    await page.getByLabel("Email").fill(USERS.annotator2.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/sign-in/);
    await page.goto(`${OWN}/annotate?batch=${batchId}`);
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
    const comparison = page.getByTestId("comparison");
    const first = await comparison.getAttribute("data-assignment-id");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("2");

    await proxy.cut();
    const own = await playwright.request.newContext({ baseURL: OWN });
    const claim = await own.post("/api/v1/tasks/claim", { data: { batchId }, headers: as(tokens.annotator) });
    expect(claim.status()).toBe(503);
    expect(Number(claim.headers()["retry-after"])).toBeGreaterThan(0);
    expect(((await claim.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    expect((await own.get("/api/ready")).status()).toBe(503);
    expect((await own.get("/api/health")).status()).toBe(200);

    // The judgement made now waits, on screen, and a page opened now says it is reconnecting.
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("notice")).toContainText("Reconnecting");
    await expect(comparison).toHaveAttribute("data-assignment-id", first!);
    const other = await page.context().newPage();
    await other.goto(`${OWN}/annotate?batch=${batchId}`);
    await expect(other.getByTestId("reconnecting")).toBeVisible();
    await other.screenshot({ path: "test-results/screens/reconnecting.png" });

    await proxy.restore();
    await expect(page.getByTestId("notice")).toContainText("Saved", { timeout: 20_000 });
    await expect(comparison).not.toHaveAttribute("data-assignment-id", first!);
    await expect(other.getByTestId("comparison")).toBeVisible({ timeout: 20_000 });
    const batch = await api.get(`/api/v1/batches/${batchId}`, { headers: as(tokens.admin) });
    expect(((await batch.json()) as { judgements: number }).judgements).toBe(1);
    expect((await own.get("/api/ready")).status()).toBe(200);
  } finally {
    server?.kill("SIGTERM");
    await proxy?.close();
  }
});
