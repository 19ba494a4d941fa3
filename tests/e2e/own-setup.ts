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

export type Item = {
  prompt: string;
  left: string;
  right: string;
  context?: { role: "user" | "assistant"; content: string }[];
  tags?: Record<string, string>;
};

/** A user of the role with an API token of their own, for a spec that acts through the API as that user. */
export async function makeUserWithToken(request: APIRequestContext, role: "annotator" | "admin" | "researcher"): Promise<{ email: string; id: string; token: string }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@own.test`;
  const created = await request.post("/api/v1/users", { data: { email, role, password: PASSWORD }, headers: asAdmin() });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const token = await request.post("/api/v1/tokens", { data: { name: "own setup", userId: id }, headers: asAdmin() });
  expect(token.status(), await token.text()).toBe(201);
  return { email, id, token: ((await token.json()) as { token: string }).token };
}

export async function makeBatch(
  request: APIRequestContext,
  items: Item[],
  options: { focus?: "helpfulness" | "safety"; overlap?: number; name?: string; guidelines?: string } = {},
): Promise<string> {
  const created = await request.post("/api/v1/batches", {
    data: {
      name: options.name ?? `Own ${randomUUID().slice(0, 6)}`,
      focus: options.focus ?? "helpfulness",
      overlap: options.overlap ?? 1,
      guidelines: options.guidelines ?? "# Guidelines\nPick the better answer.",
    },
    headers: asAdmin(),
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const lines = items.map((item) =>
    JSON.stringify({
      context: item.context ?? [],
      prompt: item.prompt,
      ...(item.tags ? { tags: item.tags } : {}),
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

/** Judges, through the API as the token's annotator, the next tasks of a batch: one per degree given (choosing the left). */
export async function judgeThroughApi(request: APIRequestContext, token: string, batchId: string, degrees: string[]): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}` };
  const ids: string[] = [];
  for (const degree of degrees) {
    const claim = await request.post("/api/v1/tasks/claim", { data: { batchId }, headers });
    expect(claim.status(), await claim.text()).toBe(200);
    const { assignmentId } = (await claim.json()) as { assignmentId: string };
    const judged = await request.post("/api/v1/judgements", { data: { assignmentId, chosen: "left", degree, idempotencyKey: `own-${randomUUID()}`, timeSpentMs: 1000 }, headers });
    expect(judged.status(), await judged.text()).toBe(200);
    ids.push(((await judged.json()) as { id: string }).id);
  }
  return ids;
}
