// The model client against the fake OpenAI-compatible server: retries with backoff on 429/5xx/timeouts, no
// retry on other errors, a refused seed dropped once, streaming with usage, and the per-variant bound; the
// deadline of timeoutMs over the whole call (a body or a stream that stalls after the headers, the gap between
// chunks), stalls and resets retried with the same request, every HTTP attempt counted, and no Authorization
// header for a variant without a key.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  configureModelRetries,
  ModelCallError,
  sampleChat,
  streamChat,
  testConnection,
  type ModelEndpoint,
} from "@/server/model-variants/model-client";
import { fakeReply, startFakeModelServer, type FakeModelServer } from "../support/fake-model-server";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
  configureModelRetries({ retries: 3, baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function endpoint(extra: Partial<ModelEndpoint> = {}): ModelEndpoint {
  const tag = randomUUID().slice(0, 8);
  return {
    id: `variant-${tag}`,
    name: `client-${tag}`,
    version: "v1",
    baseUrl: server.url,
    modelId: `model-${tag}`,
    apiKeyEnv: null,
    maxConcurrency: 4,
    timeoutMs: 5000,
    ...extra,
  };
}

const messages = [
  { role: "user" as const, content: "Hi" },
  { role: "assistant" as const, content: "Hello!" },
  { role: "user" as const, content: "Tell me a joke" },
];

describe("model client", () => {
  it("sends the model, messages and sampling, and returns content, finish reason, token counts, latency and seed", async () => {
    const variant = endpoint();
    const result = await sampleChat(variant, messages, { temperature: 0.8, top_p: 0.9, max_tokens: 64, seed: 42 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({ model: variant.modelId, messages, temperature: 0.8, top_p: 0.9, max_tokens: 64, seed: 42 });
    expect(result).toMatchObject({
      content: `[${variant.modelId}] t=0.8 seed=42 :: Tell me a joke`,
      finishReason: "stop",
      promptTokens: 6,
      completionTokens: 8,
      seed: 42,
      sent: { temperature: 0.8, top_p: 0.9, max_tokens: 64, seed: 42 },
    });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("retries 429 and 5xx with backoff, then succeeds", async () => {
    const variant = endpoint();
    server.fail(429, 1);
    server.fail(503, 1);
    const result = await sampleChat(variant, messages, { temperature: 1 });
    expect(result.content).toContain(variant.modelId!);
    expect(server.requests.map((r) => r.answer)).toEqual([429, 503, 200]);
  });

  it("backs off exponentially: each wait between base × 2^n and twice that (jitter), measured at the endpoint", async () => {
    // The README's 1–2 s, 2–4 s, 4–8 s is this with the production base of 1 s; 100 ms here keeps the test short.
    const previous = configureModelRetries({ retries: 3, baseDelayMs: 100, maxDelayMs: 10_000 });
    try {
      const variant = endpoint();
      server.fail(500, 3);
      await sampleChat(variant, messages);
      const requests = server.requests;
      expect(requests.map((r) => r.answer)).toEqual([500, 500, 500, 200]);
      const waits = requests.slice(1).map((r, i) => r.startedAt - requests[i].endedAt!);
      [100, 200, 400].forEach((base, i) => {
        // A few ms for the answer to travel; the upper side also allows for a busy machine.
        expect(waits[i], `wait ${i + 1}: ${waits.join(", ")} ms`).toBeGreaterThanOrEqual(base - 5);
        expect(waits[i], `wait ${i + 1}: ${waits.join(", ")} ms`).toBeLessThanOrEqual(2 * base + 150);
      });
    } finally {
      configureModelRetries(previous);
    }
  });

  it("gives up after three retries with the endpoint's status in the error, and never retries a 400", async () => {
    const variant = endpoint();
    server.fail(500, Infinity);
    await expect(sampleChat(variant, messages)).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && /^client-\w+ v1: .*500.*gave up after 4 attempts/.test(e.message),
    );
    expect(server.requests).toHaveLength(4);

    server.reset();
    server.fail(400, Infinity);
    await expect(sampleChat(variant, messages)).rejects.toThrow(/400/);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow endpoint after the variant's timeoutMs and retries", async () => {
    const variant = endpoint({ timeoutMs: 150 });
    server.delay(1000, 1);
    const started = Date.now();
    const result = await sampleChat(variant, messages);
    expect(result.content).toContain(variant.modelId!);
    expect(server.requests.map((r) => r.answer)).toEqual(["aborted", 200]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("bounds the whole call: a body that stalls after the headers ends at timeoutMs and is retried with the same request", async () => {
    const variant = endpoint({ timeoutMs: 300 });
    server.stall(1);
    const started = Date.now();
    const result = await sampleChat(variant, messages, { temperature: 0.4, seed: 11 });
    expect(result.content).toBe(fakeReply({ model: variant.modelId!, messages, temperature: 0.4, seed: 11 }));
    expect(server.requests.map((r) => r.answer)).toEqual(["aborted", 200]);
    const [stalled, retried] = server.requests;
    // Ended by the client's deadline (300 ms from before the request left, so a little less as the server saw it).
    expect(stalled.endedAt! - stalled.startedAt).toBeGreaterThanOrEqual(150);
    expect(stalled.endedAt! - stalled.startedAt).toBeLessThan(1500);
    expect(retried.body).toEqual(stalled.body); // same draw: temperature and seed
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("retries a connection reset after the headers with the same request", async () => {
    const variant = endpoint();
    server.resetAfterHeaders(1);
    const result = await sampleChat(variant, messages, { temperature: 0.9, seed: 3 });
    expect(result.seed).toBe(3);
    expect(server.requests.map((r) => r.answer)).toEqual(["reset", 200]);
    expect(server.requests[1].body).toEqual(server.requests[0].body);
  });

  it("gives up on an endpoint that always stalls after timeoutMs per attempt, counting every HTTP attempt", async () => {
    const variant = endpoint({ timeoutMs: 200 });
    server.stall(Infinity);
    let told = 0;
    const started = Date.now();
    const error = await sampleChat(variant, messages, {}, { onAttempt: () => (told += 1) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as ModelCallError).message).toMatch(/^client-\w+ v1: timeout: .*no complete answer within 200 ms.*gave up after 4 attempts/);
    expect((error as ModelCallError).attempts).toBe(4);
    expect(told).toBe(4);
    expect(server.requests.map((r) => r.answer)).toEqual(["aborted", "aborted", "aborted", "aborted"]);
    expect(Date.now() - started).toBeLessThan(4 * 200 + 1500);
  });

  it("counts HTTP attempts through 429s and a refused seed", async () => {
    const variant = endpoint();
    server.fail(429, 2);
    server.rejectSeed(1);
    let told = 0;
    await sampleChat(variant, messages, { seed: 9 }, { onAttempt: () => (told += 1) });
    expect(server.requests.map((r) => r.answer)).toEqual([429, 429, 400, 200]);
    expect(told).toBe(4);
  });

  it("sends no Authorization header for a variant without a key, and the key for one with it", async () => {
    await sampleChat(endpoint({ apiKeyEnv: null }), messages);
    for await (const delta of streamChat(endpoint({ apiKeyEnv: null }), messages)) void delta;
    await testConnection(endpoint({ apiKeyEnv: null }));
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) expect(request.headers).not.toHaveProperty("authorization");

    server.reset();
    process.env.PAIRWISE_MODEL_KEY_CLIENT_TEST = "sk-client-test-0123456789";
    try {
      await sampleChat(endpoint({ apiKeyEnv: "PAIRWISE_MODEL_KEY_CLIENT_TEST" }), messages);
      expect(server.requests[0].headers.authorization).toBe("Bearer sk-client-test-0123456789");
    } finally {
      delete process.env.PAIRWISE_MODEL_KEY_CLIENT_TEST;
    }
  });

  it("drops a seed the endpoint refuses, once, and records it as null", async () => {
    const variant = endpoint();
    server.rejectSeed(Infinity);
    const result = await sampleChat(variant, messages, { temperature: 0.5, seed: 7 });
    expect(server.requests.map((r) => [r.answer, r.body.seed])).toEqual([
      [400, 7],
      [200, undefined],
    ]);
    expect(result.seed).toBeNull();
    expect(result.sent).toEqual({ temperature: 0.5, seed: null });
  });

  it("streams text deltas, then a result with usage (include_usage asked for)", async () => {
    const variant = endpoint();
    server.fail(429, 1); // opening the stream is retried too
    const stream = streamChat(variant, messages, { temperature: 0.3, seed: 5 });
    const deltas: string[] = [];
    for await (const delta of stream) deltas.push(delta);
    const result = await stream.result;
    const expected = fakeReply({ model: variant.modelId!, messages, temperature: 0.3, seed: 5 });
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(expected);
    expect(result).toMatchObject({ content: expected, finishReason: "stop", promptTokens: 6, completionTokens: 8, seed: 5 });
    const sent = server.requests.at(-1)!.body;
    expect(sent).toMatchObject({ stream: true, stream_options: { include_usage: true }, temperature: 0.3, seed: 5 });
  });

  it("retries a stream that stalls or resets before its first text, with the same request", async () => {
    const variant = endpoint({ timeoutMs: 300 });
    server.stall(1);
    server.resetAfterHeaders(1);
    const stream = streamChat(variant, messages, { temperature: 0.3, seed: 5 });
    let text = "";
    for await (const delta of stream) text += delta;
    expect(text).toBe(fakeReply({ model: variant.modelId!, messages, temperature: 0.3, seed: 5 }));
    expect(server.requests.map((r) => r.answer)).toEqual(["aborted", "reset", 200]);
    expect(new Set(server.requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it("ends a stream that stalls between chunks at timeoutMs, after the text so far", async () => {
    const variant = endpoint({ timeoutMs: 400 });
    server.stallMidStream(1);
    const stream = streamChat(variant, messages, { seed: 1 });
    const deltas: string[] = [];
    const started = Date.now();
    const error = await (async () => {
      for await (const delta of stream) deltas.push(delta);
    })().catch((e: unknown) => e);
    expect(deltas.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as Error).message).toMatch(/no complete answer within 400 ms/);
    await expect(stream.result).rejects.toThrow(/no complete answer within 400 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1); // text had reached the reader: not retried behind its back
    expect(server.requests[0].answer).toBe("aborted");
  });

  it("keeps at most maxConcurrency calls in flight per variant, streams included", async () => {
    const narrow = endpoint({ maxConcurrency: 2 });
    const wide = endpoint({ maxConcurrency: 6 });
    server.delay(50, Infinity);
    const drain = async (stream: AsyncIterable<string>) => {
      for await (const delta of stream) void delta;
    };
    await Promise.all([
      ...Array.from({ length: 6 }, () => sampleChat(narrow, messages)),
      ...Array.from({ length: 3 }, () => drain(streamChat(narrow, messages))),
      ...Array.from({ length: 6 }, () => sampleChat(wide, messages)),
    ]);
    expect(server.maxInFlight.get(narrow.modelId!)).toBe(2);
    expect(server.maxInFlight.get(wide.modelId!)).toBeGreaterThan(2);
  });
});
