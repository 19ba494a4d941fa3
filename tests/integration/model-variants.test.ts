// Model variants on real Postgres: registration and PATCH, validation, audit, permissions, the connection test,
// and the API key that never leaves the server (API answers, audit log, database), only the Authorization header.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createApiToken } from "@/server/auth/api-tokens";
import { createModelVariant } from "@/server/model-variants/create-model-variant";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";
import { getModelVariant, listModelVariants } from "@/server/model-variants/queries";
import { testModelVariant } from "@/server/model-variants/test-model-variant";
import { configureModelRetries } from "@/server/model-variants/model-client";
import { stopGenerationWorkers } from "@/server/generation/run-generation-job";
import * as variantsRoute from "@/app/api/v1/model-variants/route";
import * as variantRoute from "@/app/api/v1/model-variants/[id]/route";
import * as testRoute from "@/app/api/v1/model-variants/[id]/test/route";
import * as batchVariantsRoute from "@/app/api/v1/batches/[id]/model-variants/route";
import * as generateRoute from "@/app/api/v1/batches/[id]/generate/route";
import * as generationRoute from "@/app/api/v1/batches/[id]/generation/route";
import type { Actor } from "@/server/auth/permissions";
import { startFakeModelServer, type FakeModelServer } from "../support/fake-model-server";
import { chunks, makeUser } from "./fixtures";
import { makeVariant, promptLine, waitForJob } from "./generation-fixtures";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";

const KEY_ENV = "PAIRWISE_MODEL_KEY_TEST";
const KEY = `sk-test-${randomUUID()}`;

let server: FakeModelServer;
beforeAll(async () => {
  process.env[KEY_ENV] = KEY;
  server = await startFakeModelServer();
  configureModelRetries({ baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(async () => {
  await stopGenerationWorkers();
  await server.close();
  delete process.env[KEY_ENV];
});

async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof AppError && error.code === code && (!message || message.test(error.message)),
  );
}

/** Calls a route handler the way Next.js does, with a bearer token. */
async function call<P>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  token: string,
  options: { method?: string; body?: unknown; params?: P } = {},
): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const request = new Request("http://localhost/api/v1/test", {
    method: options.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : {} };
}

async function tokenFor(actor: Actor): Promise<string> {
  return (await createApiToken(actor, { userId: actor.id, name: "test" })).token;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("model variants", () => {
  it("registers a variant, lists and reads it, and a PATCH changes only the fields it sends; every change is audited", async () => {
    const admin = await makeUser("admin");
    const name = `acme-${randomUUID().slice(0, 8)}`;
    const created = await createModelVariant(admin, {
      name,
      version: "rlhf-v3",
      baseUrl: "http://127.0.0.1:8000/v1/",
      modelId: "meta-llama/Llama-2-7b-chat-hf",
      apiKeyEnv: "PAIRWISE_MODEL_KEY_VLLM",
      defaultSampling: { top_p: 0.9, max_tokens: 256 },
      temperatureMin: 0.7,
      temperatureMax: 1.1,
      maxConcurrency: 2,
    });
    expect(created).toMatchObject({
      name,
      version: "rlhf-v3",
      baseUrl: "http://127.0.0.1:8000/v1", // trailing slash dropped
      apiKeyEnv: "PAIRWISE_MODEL_KEY_VLLM",
      apiKeySet: false,
      defaultSampling: { top_p: 0.9, max_tokens: 256 },
      temperatureMin: 0.7,
      temperatureMax: 1.1,
      maxConcurrency: 2,
      timeoutMs: 60_000,
      active: true,
      live: true,
    });
    expect((await listModelVariants(admin)).map((v) => v.id)).toContain(created.id);
    expect(await getModelVariant(admin, created.id)).toEqual(created);

    const patched = await updateModelVariant(admin, created.id, { temperatureMax: 1.4, apiKeyEnv: null, active: false });
    expect(patched).toMatchObject({ ...created, temperatureMax: 1.4, apiKeyEnv: null, active: false, updatedAt: patched.updatedAt });
    expect(patched.modelId).toBe("meta-llama/Llama-2-7b-chat-hf");

    const audit = await db.auditEntry.findMany({ where: { entityType: "model_variant", entityId: created.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["model_variant.create", "model_variant.update"]);
    expect(audit[0].actorId).toBe(admin.id);
    expect(audit[1].before).toMatchObject({ temperatureMax: 1.1, apiKeyEnv: "PAIRWISE_MODEL_KEY_VLLM", active: true });
    expect(audit[1].after).toMatchObject({ temperatureMax: 1.4, apiKeyEnv: null, active: false });
  });

  it("validates names of key variables, the temperature range, the URL and unknown fields, naming each field", async () => {
    const admin = await makeUser("admin");
    const base = { name: `v-${randomUUID().slice(0, 8)}`, baseUrl: "http://127.0.0.1:11434/v1", modelId: "llama2" };
    await expectAppError(
      createModelVariant(admin, { ...base, apiKeyEnv: "sk-abc123" }),
      "invalid_input",
      /apiKeyEnv: must be the NAME of an environment variable/,
    );
    // Issue 9: AUTH_SECRET, PATH and HOME were accepted, and a test of the connection sent them away as the key.
    for (const name of ["NEXTAUTH_SECRET", "AUTH_SECRET", "PATH", "HOME", "DATABASE_URL", "VLLM_API_KEY", "PAIRWISE_MODEL_KEY_"]) {
      await expectAppError(
        createModelVariant(admin, { ...base, apiKeyEnv: name }),
        "invalid_input",
        /apiKeyEnv: must be the NAME of an environment variable starting with PAIRWISE_MODEL_KEY_/,
      );
    }
    await expectAppError(createModelVariant(admin, { ...base, apiKey: "sk-abc123" }), "invalid_input", /"apiKey": a model variant has no such field/);
    await expectAppError(
      createModelVariant(admin, { ...base, temperatureMin: 1.2, temperatureMax: 0.8 }),
      "invalid_input",
      /temperatureMin: must not exceed temperatureMax/,
    );
    await expectAppError(createModelVariant(admin, { ...base, temperatureMin: 0.5 }), "invalid_input", /give both temperatureMin and temperatureMax/);
    await expectAppError(
      createModelVariant(admin, { ...base, temperatureMin: 0, temperatureMax: 2.5 }),
      "invalid_input",
      /temperatureMax: must be at most 2/,
    );
    await expectAppError(createModelVariant(admin, { ...base, baseUrl: "localhost:8000" }), "invalid_input", /baseUrl: must be an http\(s\) URL/);
    await expectAppError(
      createModelVariant(admin, { ...base, defaultSampling: { temperature: 0.7, stop: "x" } }),
      "invalid_input",
      /defaultSampling: "stop": takes only/,
    );
    await expectAppError(createModelVariant(admin, { ...base, maxConcurrency: 0 }), "invalid_input", /maxConcurrency: must be at least 1/);

    const variant = await createModelVariant(admin, { ...base, temperatureMin: 0.2, temperatureMax: 0.6 });
    await expectAppError(createModelVariant(admin, base), "conflict", /already exists/);
    // The range is checked after merging: moving one bound past the other is refused.
    await expectAppError(
      updateModelVariant(admin, variant.id, { temperatureMin: 0.9 }),
      "invalid_input",
      /temperatureMin: must not exceed temperatureMax/,
    );
    await expectAppError(updateModelVariant(admin, variant.id, { temperatureMax: null }), "invalid_input", /give both/);
    expect(await updateModelVariant(admin, variant.id, { temperatureMin: null, temperatureMax: null })).toMatchObject({
      temperatureMin: null,
      temperatureMax: null,
    });
    await expectAppError(updateModelVariant(admin, "nope", { active: false }), "not_found");
  });

  it("lets admins change variants, researchers read them, and annotators nothing", async () => {
    const [admin, researcher, annotator] = await Promise.all([makeUser("admin"), makeUser("researcher"), makeUser("annotator")]);
    const variant = await makeVariant(admin, server.url);
    for (const actor of [researcher, annotator]) {
      await expectAppError(createModelVariant(actor, { name: "x", baseUrl: server.url, modelId: "m" }), "forbidden", /model-variants\.write/);
      await expectAppError(updateModelVariant(actor, variant.id, { active: false }), "forbidden");
      await expectAppError(testModelVariant(actor, variant.id), "forbidden");
    }
    await expectAppError(listModelVariants(annotator), "forbidden");
    await expectAppError(getModelVariant(annotator, variant.id), "forbidden");
    expect((await getModelVariant(researcher, variant.id)).id).toBe(variant.id);

    const annotatorToken = await tokenFor(annotator);
    expect((await call(variantsRoute.GET, annotatorToken)).status).toBe(403);
    const refused = await call(variantsRoute.POST, annotatorToken, { method: "POST", body: { name: "x", baseUrl: server.url, modelId: "m" } });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: { code: "forbidden" } });
  });

  it("tests the connection: latency and model when it answers, the endpoint's error when it does not", async () => {
    const admin = await makeUser("admin");
    const variant = await makeVariant(admin, server.url);
    server.reset();
    const ok = await testModelVariant(admin, variant.id);
    expect(ok).toMatchObject({ ok: true, model: variant.modelId });
    expect(ok.ok && ok.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests[0].body).toMatchObject({ model: variant.modelId, max_tokens: 1 });

    server.fail(500, 1);
    const failed = await testModelVariant(admin, variant.id);
    expect(failed).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^${variant.name} v1: .*500.*as told`)) });

    // Port 9 is one fetch refuses to call at all: the message says so rather than "Connection error."
    const closed = await makeVariant(admin, "http://127.0.0.1:9/v1", { timeoutMs: 2000 });
    expect(await testModelVariant(admin, closed.id)).toEqual({ ok: false, error: expect.stringMatching(/connection error: bad port/) });

    const missingKey = await makeVariant(admin, server.url, { apiKeyEnv: "PAIRWISE_MODEL_KEY_UNSET" });
    expect(await testModelVariant(admin, missingKey.id)).toEqual({
      ok: false,
      error: expect.stringMatching(/PAIRWISE_MODEL_KEY_UNSET .* is not set/),
    });

    // A variant that only names a model (from an import) has no endpoint to test.
    const { id: imported } = await db.modelVariant.create({ data: { name: `imported-${randomUUID().slice(0, 8)}` } });
    expect(await testModelVariant(admin, imported)).toEqual({ ok: false, error: expect.stringMatching(/no endpoint configured/) });
  });

  it("never lets the API key leave the server: absent from every answer, the audit log and the database; sent only as the Authorization header", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    server.reset();

    const bodies: string[] = [];
    const first = await call(variantsRoute.POST, token, {
      method: "POST",
      body: {
        name: `keyed-${randomUUID().slice(0, 8)}`,
        baseUrl: server.url,
        modelId: "keyed-a",
        apiKeyEnv: KEY_ENV,
        temperatureMin: 0.5,
        temperatureMax: 0.9,
      },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ apiKeyEnv: KEY_ENV, apiKeySet: true });
    const second = await call(variantsRoute.POST, token, {
      method: "POST",
      body: { name: `keyed-${randomUUID().slice(0, 8)}`, baseUrl: server.url, modelId: "keyed-b", apiKeyEnv: KEY_ENV },
    });
    const ids = [first.json.id as string, second.json.id as string];
    bodies.push(first.text, second.text);
    bodies.push((await call(variantsRoute.GET, token)).text);
    bodies.push((await call(variantRoute.GET, token, { params: { id: ids[0] } })).text);
    bodies.push((await call(variantRoute.PATCH, token, { method: "PATCH", params: { id: ids[0] }, body: { timeoutMs: 30_000 } })).text);
    const tested = await call(testRoute.POST, token, { method: "POST", params: { id: ids[0] } });
    expect(tested.json).toMatchObject({ ok: true });
    bodies.push(tested.text);

    // An endpoint that echoes the key in its error message: the error we keep and show has it redacted.
    server.fail(500, 1);
    const failing = await call(testRoute.POST, token, { method: "POST", params: { id: ids[0] } });
    expect(failing.json).toMatchObject({ ok: false, error: expect.stringContaining("authorization: Bearer [redacted]") });
    bodies.push(failing.text);

    // Generation through the API: the key goes out with every sampling call.
    const { id: batchId } = await createBatch(admin, { name: "keyed batch", focus: "helpfulness", overlap: 1, guidelines: "" });
    await importItems(admin, batchId, "prompts", chunks([promptLine(1), promptLine(2)].join("\n")));
    bodies.push((await call(batchVariantsRoute.PUT, token, { method: "PUT", params: { id: batchId }, body: { modelVariantIds: ids } })).text);
    const started = await call(generateRoute.POST, token, { method: "POST", params: { id: batchId } });
    expect(started.status).toBe(202);
    bodies.push(started.text);
    await waitForJob(started.json.id as string);
    bodies.push((await call(generationRoute.GET, token, { params: { id: batchId } })).text);

    for (const body of bodies) expect(body).not.toContain(KEY);
    const audit = await db.auditEntry.findMany({ where: { OR: [{ entityId: { in: ids } }, { entityId: batchId }] } });
    expect(audit.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(audit)).not.toContain(KEY);
    const rows = await db.modelVariant.findMany({ where: { id: { in: ids } } });
    expect(JSON.stringify(rows)).not.toContain(KEY);
    const responses = await db.response.findMany({ where: { comparison: { batchId } } });
    expect(responses).toHaveLength(4);
    expect(JSON.stringify(responses)).not.toContain(KEY);

    const calls = server.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(calls.length).toBe(2 + 4); // two connection tests, two prompts × two slots
    for (const request of calls) {
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(JSON.stringify(request.body)).not.toContain(KEY);
    }
  });

  it("never sends a variable outside PAIRWISE_MODEL_KEY_*, even one stored before the rule (issue 9)", async () => {
    const admin = await makeUser("admin");
    const variant = await makeVariant(admin, server.url);
    // A row written before the allowlist existed, naming the session secret.
    await db.modelVariant.update({ where: { id: variant.id }, data: { apiKeyEnv: "NEXTAUTH_SECRET" } });
    server.reset();
    const report = await testModelVariant(admin, variant.id);
    expect(report).toEqual({ ok: false, error: expect.stringMatching(/NEXTAUTH_SECRET is not a model key variable .*nothing was sent/) });
    expect(server.requests).toHaveLength(0);
    expect(JSON.stringify(report)).not.toContain(process.env.NEXTAUTH_SECRET!);
  });

  it("limits endpoint hosts to MODEL_ENDPOINT_HOSTS when set, on save and before every call (issue 9)", async () => {
    const admin = await makeUser("admin");
    const variant = await makeVariant(admin, server.url);
    const base = { name: `h-${randomUUID().slice(0, 8)}`, modelId: "m" };
    process.env.MODEL_ENDPOINT_HOSTS = "models.internal.example, *.gpu.example";
    try {
      await expectAppError(
        createModelVariant(admin, { ...base, baseUrl: "http://169.254.169.254/v1" }),
        "invalid_input",
        /baseUrl: its host 169.254.169.254 is not among/,
      );
      await expect(createModelVariant(admin, { ...base, baseUrl: "http://a.gpu.example/v1" })).resolves.toMatchObject({
        baseUrl: "http://a.gpu.example/v1",
      });
      server.reset();
      expect(await testModelVariant(admin, variant.id)).toEqual({
        ok: false,
        error: expect.stringMatching(/baseUrl: its host 127.0.0.1 is not among/),
      });
      expect(server.requests).toHaveLength(0);
    } finally {
      delete process.env.MODEL_ENDPOINT_HOSTS;
    }
  });

  it("says what failed in a connection test: DNS, refused, timeout, HTTP status (issue 9)", async () => {
    const admin = await makeUser("admin");
    // DNS and TLS failures are read from the same causes (tests/unit/call-failure.test.ts); no lookup leaves this machine.
    const refused = await makeVariant(admin, `http://127.0.0.1:${await closedPort()}/v1`, { timeoutMs: 2000 });
    expect(await testModelVariant(admin, refused.id)).toEqual({ ok: false, error: expect.stringMatching(/connection refused/) });
    const status = await makeVariant(admin, server.url);
    server.fail(404, 1);
    expect(await testModelVariant(admin, status.id)).toEqual({ ok: false, error: expect.stringMatching(/HTTP 404/) });
    const slow = await makeVariant(admin, server.url, { timeoutMs: 300 });
    server.delay(2000, 1);
    expect(await testModelVariant(admin, slow.id)).toEqual({
      ok: false,
      error: expect.stringMatching(/timeout: the endpoint did not answer in time/),
    });
  });

  it("sends no Authorization header at all to a variant without apiKeyEnv", async () => {
    const admin = await makeUser("admin");
    const variant = await makeVariant(admin, server.url);
    server.reset();
    expect(await testModelVariant(admin, variant.id)).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers).not.toHaveProperty("authorization");
  });
});
