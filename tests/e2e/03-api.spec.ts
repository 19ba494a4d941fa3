// The HTTP API v1 against the running server: each route refuses roles without the permission and anonymous
// callers, errors are {"error":{code,message}}, and the whole loop works with tokens.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { e2eState } from "./helpers";

function as(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function expectError(response: Awaited<ReturnType<APIRequestContext["post"]>>, status: number, code: string) {
  expect(response.status()).toBe(status);
  const body = (await response.json()) as { error: { code: string; message: unknown } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
}

test("API v1: permissions per route, errors, and the annotation loop", async ({ playwright, baseURL }) => {
  // A context without the browser's cookies: only the bearer token identifies the caller.
  const request = await playwright.request.newContext({ baseURL });
  const { tokens } = e2eState();
  const batchBody = { name: "API batch", focus: "helpfulness", overlap: 2, guidelines: "Pick one." };

  // Every route: anonymous callers and bad tokens get 401, each role lacking the permission gets 403.
  const routes: { method: "get" | "post"; path: string; data?: unknown; allowed: string[] }[] = [
    { method: "post", path: "/api/v1/batches", data: batchBody, allowed: ["admin"] },
    { method: "post", path: "/api/v1/batches/some-id/items", data: "{}", allowed: ["admin"] },
    { method: "post", path: "/api/v1/batches/some-id/status", data: { status: "active" }, allowed: ["admin"] },
    { method: "post", path: "/api/v1/tasks/claim", data: {}, allowed: ["annotator", "annotator2"] },
    { method: "post", path: "/api/v1/tasks/skip", data: {}, allowed: ["annotator", "annotator2"] },
    { method: "post", path: "/api/v1/judgements", data: {}, allowed: ["annotator", "annotator2"] },
    { method: "get", path: "/api/v1/exports/canonical?batch=x", allowed: ["admin", "researcher"] },
  ];
  for (const route of routes) {
    const call = (headers: Record<string, string>) => request[route.method](route.path, { data: route.data, headers });
    await expectError(await call({}), 401, "unauthenticated");
    await expectError(await call(as("pw_not-a-token")), 401, "unauthenticated");
    for (const role of Object.keys(tokens).filter((r) => !route.allowed.includes(r))) {
      await expectError(await call(as(tokens[role])), 403, "forbidden");
    }
  }

  // Validation names the field.
  const invalid = await request.post("/api/v1/batches", { data: { ...batchBody, focus: "fun" }, headers: as(tokens.admin) });
  await expectError(invalid, 400, "invalid_input");

  // Admin: create, import (a bad file imports nothing), activate.
  const created = await request.post("/api/v1/batches", { data: batchBody, headers: as(tokens.admin) });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const line = (i: number) =>
    JSON.stringify({
      prompt: `API prompt ${i}`,
      responses: [
        { content: `a${i}`, model: { name: "m", version: "1" } },
        { content: `b${i}`, model: { name: "m", version: "2" } },
      ],
    });
  const bad = await request.post(`/api/v1/batches/${id}/items?format=pairwise`, {
    data: `${line(1)}\n{"prompt": 3}\n${line(3)}`,
    headers: as(tokens.admin),
  });
  expect(bad.status()).toBe(422);
  const badBody = await bad.json();
  expect(badBody.imported).toBe(0);
  expect(badBody.errors[0].line).toBe(2);
  expect(badBody.error.code).toBe("invalid_import");
  const good = await request.post(`/api/v1/batches/${id}/items?format=pairwise`, { data: `${line(1)}\n${line(2)}`, headers: as(tokens.admin) });
  expect(await good.json()).toMatchObject({ imported: 2, errors: [] });
  expect((await request.post(`/api/v1/batches/${id}/status`, { data: { status: "active" }, headers: as(tokens.admin) })).status()).toBe(200);

  // Annotator: claim, judge, retry with the same key.
  const claim = await request.post("/api/v1/tasks/claim", { data: { batchId: id }, headers: as(tokens.annotator) });
  expect(claim.status()).toBe(200);
  const task = await claim.json();
  expect(task).toMatchObject({
    assignmentId: expect.any(String),
    prompt: expect.stringMatching(/^API prompt/),
    left: { id: expect.any(String) },
    right: { id: expect.any(String) },
  });
  expect(task.leaseExpiresAt).toBeTruthy();
  const judgement = { assignmentId: task.assignmentId, chosen: "right", degree: "better", idempotencyKey: "api-key-000001", timeSpentMs: 900 };
  await expectError(
    await request.post("/api/v1/judgements", { data: { ...judgement, chosen: "tie" }, headers: as(tokens.annotator) }),
    400,
    "invalid_input",
  );
  const first = await (await request.post("/api/v1/judgements", { data: judgement, headers: as(tokens.annotator) })).json();
  const again = await (await request.post("/api/v1/judgements", { data: judgement, headers: as(tokens.annotator) })).json();
  expect(again.id).toBe(first.id);
  expect(first.chosenResponseId).toBe(task.right.id);

  // Researcher: export streams the judgement.
  const exported = await request.get(`/api/v1/exports/canonical?batch=${id}`, { headers: as(tokens.researcher) });
  expect(exported.status()).toBe(200);
  expect(exported.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await exported.text()).trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toMatchObject({ chosen_response_id: task.right.id, degree: "better" });
  await expectError(await request.get("/api/v1/exports/canonical?batch=missing", { headers: as(tokens.researcher) }), 404, "not_found");
  await request.dispose();
});
