// The model client against the fake OpenAI-compatible server: retries with backoff on 429/5xx/timeouts, no
// retry on other errors, a refused seed dropped once, streaming with usage, and the per-variant bound.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureModelRetries, ModelCallError, sampleChat, streamChat, type ModelEndpoint } from "@/server/model-variants/model-client";
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
  return { id: `variant-${tag}`, name: `client-${tag}`, version: "v1", baseUrl: server.url, modelId: `model-${tag}`, apiKeyEnv: null, maxConcurrency: 4, timeoutMs: 5000, ...extra };
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
