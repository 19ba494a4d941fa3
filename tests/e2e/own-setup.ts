// What a spec makes for itself through the API, so it depends on no other spec: an annotator of its own (signed in
// with a password), and a batch of its own with the items it needs.
import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { PASSWORD } from "./fixtures";
import { e2eState, waitForApp } from "./helpers";

function asAdmin(): Record<string, string> {
  return { authorization: `Bearer ${e2eState().tokens.admin}` };
}

export async function makeUser(request: APIRequestContext, role: "annotator" | "admin" | "researcher"): Promise<string> {
  const email = `${role}-${randomUUID().slice(0, 8)}@own.test`;
  const created = await request.post("/api/v1/users", { data: { email, role, password: PASSWORD }, headers: asAdmin() });
  expect(created.status(), await created.text()).toBe(201);
  return email;
}

export type Item = { prompt: string; left: string; right: string; context?: { role: "user" | "assistant"; content: string }[] };

export async function makeBatch(
  request: APIRequestContext,
  items: Item[],
  options: { focus?: "helpfulness" | "safety"; overlap?: number } = {},
): Promise<string> {
  const created = await request.post("/api/v1/batches", {
    data: {
      name: `Own ${randomUUID().slice(0, 6)}`,
      focus: options.focus ?? "helpfulness",
      overlap: options.overlap ?? 1,
      guidelines: "# Guidelines\nPick the better answer.",
    },
    headers: asAdmin(),
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const lines = items.map((item) =>
    JSON.stringify({
      context: item.context ?? [],
      prompt: item.prompt,
      responses: [
        { content: item.left, model: { name: "own", version: "a" } },
        { content: item.right, model: { name: "own", version: "b" } },
      ],
    }),
  );
  const imported = await request.post(`/api/v1/batches/${id}/items?format=pairwise`, {
    data: lines.join("\n"),
    headers: { ...asAdmin(), "content-type": "application/x-ndjson" },
  });
  expect(imported.status(), await imported.text()).toBe(200);
  expect((await request.post(`/api/v1/batches/${id}/status`, { data: { status: "active" }, headers: asAdmin() })).status()).toBe(200);
  return id;
}

export async function signInAs(page: Page, email: string, then = ""): Promise<void> {
  await page.goto("/sign-in");
  await waitForApp(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  if (then) {
    await page.goto(then);
    await waitForApp(page);
  }
}

export async function judgementsOf(request: APIRequestContext, batchId: string): Promise<number> {
  const answer = await request.get(`/api/v1/batches/${batchId}`, { headers: asAdmin() });
  return ((await answer.json()) as { judgements: number }).judgements;
}

/** An annotator of a vendor with an API token of their own, to judge through the API. */
export async function makeAnnotatorWithToken(request: APIRequestContext, vendor?: string): Promise<{ id: string; email: string; token: string }> {
  const email = `annotator-${randomUUID().slice(0, 8)}@own.test`;
  const created = await request.post("/api/v1/users", {
    data: { email, role: "annotator", password: PASSWORD, ...(vendor ? { vendor } : {}) },
    headers: asAdmin(),
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const token = await request.post("/api/v1/tokens", { data: { name: "own", userId: id }, headers: asAdmin() });
  expect(token.status(), await token.text()).toBe(201);
  return { id, email, token: ((await token.json()) as { token: string }).token };
}

/** Claims and judges every task of a batch left to this annotator; `choose` picks the side from the task. */
export async function judgeAll(
  request: APIRequestContext,
  token: string,
  batchId: string,
  choose: (task: { left: { content: string }; right: { content: string } }) => { chosen: "left" | "right"; degree: string; timeSpentMs: number },
): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  let judged = 0;
  for (;;) {
    const claim = await request.post("/api/v1/tasks/claim", { data: { batchId }, headers });
    if (claim.status() === 204) return judged;
    expect(claim.status(), await claim.text()).toBe(200);
    const task = (await claim.json()) as { assignmentId: string; left: { content: string }; right: { content: string } };
    const judgement = await request.post("/api/v1/judgements", {
      data: { assignmentId: task.assignmentId, idempotencyKey: `own-${task.assignmentId}`, ...choose(task) },
      headers,
    });
    expect(judgement.status(), await judgement.text()).toBe(200);
    judged++;
  }
}
