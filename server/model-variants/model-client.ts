// The one place that calls model endpoints (any OpenAI-compatible server: vLLM, Ollama, TGI, llama.cpp,
// OpenAI), through the official SDK: a timeout per variant, retries with exponential backoff on 429, 5xx,
// timeouts and connection errors, and at most `maxConcurrency` calls in flight per variant in this process.
import OpenAI, { APIConnectionError, APIError } from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { Stream } from "openai/streaming";
import pLimit, { type LimitFunction } from "p-limit";
import pRetry, { type Options as PRetryOptions } from "p-retry";
import { API_KEY_ENV_NAME, MODEL_KEY_PREFIX, readApiKey } from "../env";
import { describeCallFailure } from "./call-failure";
import { endpointHostProblem } from "./endpoint-hosts";
import type { Message } from "@/lib/protocol";

/** The endpoint settings of a model variant (a ModelVariant row has them all). */
export type ModelEndpoint = {
  id: string;
  name: string;
  version: string;
  baseUrl: string | null;
  modelId: string | null;
  apiKeyEnv: string | null;
  maxConcurrency: number;
  timeoutMs: number;
};

export type SamplingParams = { temperature?: number | null; top_p?: number | null; max_tokens?: number | null; seed?: number | null };

/** The sampling parameters a request actually carried; seed is null when none was sent or the endpoint refused it. */
export type SentSampling = { temperature?: number; top_p?: number; max_tokens?: number; seed: number | null };

export type ChatResult = {
  content: string;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  latencyMs: number;
  seed: number | null;
  sent: SentSampling;
};

export type ConnectionReport = { ok: true; latencyMs: number; model: string } | { ok: false; error: string };

/** A failed call, with a message safe to store and show: it names the variant and never contains the key. */
export class ModelCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelCallError";
  }
}

export type RetryPolicy = { retries: number; baseDelayMs: number; maxDelayMs: number };

let retryPolicy: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Changes how failed calls are retried (tests shorten the delays); returns the previous policy. */
export function configureModelRetries(policy: Partial<RetryPolicy>): RetryPolicy {
  const previous = retryPolicy;
  retryPolicy = { ...retryPolicy, ...policy };
  return previous;
}

// One limiter per variant for the life of the process, so every caller (generation, dialogues, tests of the
// connection) shares the variant's bound.
const limiters = new Map<string, LimitFunction>();

function limiterFor(variant: ModelEndpoint): LimitFunction {
  const existing = limiters.get(variant.id);
  if (!existing) {
    const created = pLimit(variant.maxConcurrency);
    limiters.set(variant.id, created);
    return created;
  }
  if (existing.concurrency !== variant.maxConcurrency) existing.concurrency = variant.maxConcurrency; // edited meanwhile
  return existing;
}

/** Takes a slot of the limiter until the returned release function is called (a stream holds it while it runs). */
function acquireSlot(limit: LimitFunction): Promise<() => void> {
  return new Promise((resolveSlot) => {
    void limit(() => new Promise<void>((release) => resolveSlot(release)));
  });
}

/**
 * A signal for one call that follows the caller's: the SDK never removes the listener it adds, so a long-lived
 * caller signal (a generation job's) would collect one per request. Dispose when the call is over.
 */
function linkedSignal(parent: AbortSignal | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (!parent) return { signal: undefined, dispose: () => undefined };
  const controller = new AbortController();
  const abort = () => controller.abort(parent.reason);
  if (parent.aborted) abort();
  else parent.addEventListener("abort", abort, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener("abort", abort) };
}

function label(variant: ModelEndpoint): string {
  return variant.version ? `${variant.name} ${variant.version}` : variant.name;
}

type Endpoint = { client: OpenAI; model: string; key: string | undefined };

function endpointFor(variant: ModelEndpoint): Endpoint {
  if (!variant.baseUrl || !variant.modelId) {
    throw new ModelCallError(`${label(variant)}: no endpoint configured (set baseUrl and modelId).`);
  }
  const hostProblem = endpointHostProblem(variant.baseUrl);
  if (hostProblem) throw new ModelCallError(`${label(variant)}: baseUrl: ${hostProblem}.`);
  const key = readApiKey(variant.apiKeyEnv);
  if (variant.apiKeyEnv && !API_KEY_ENV_NAME.test(variant.apiKeyEnv)) {
    throw new ModelCallError(`${label(variant)}: apiKeyEnv ${variant.apiKeyEnv} is not a model key variable (its name must start with ${MODEL_KEY_PREFIX}); nothing was sent.`);
  }
  if (variant.apiKeyEnv && key === undefined) {
    throw new ModelCallError(`${label(variant)}: the environment variable ${variant.apiKeyEnv} (its API key) is not set on the server.`);
  }
  const client = new OpenAI({
    baseURL: variant.baseUrl,
    apiKey: key ?? "not-needed",
    timeout: variant.timeoutMs,
    maxRetries: 0, // retries happen here, with backoff and the concurrency bound
    organization: null,
    project: null,
  });
  return { client, model: variant.modelId, key };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true; // refused, reset, timed out
  if (error instanceof APIError && typeof error.status === "number") return error.status === 429 || error.status >= 500;
  return false;
}

/** A 400 that names the parameter: some servers refuse `seed` (or `stream_options`) instead of ignoring it. */
function rejectsParameter(error: unknown, parameter: string): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  const pattern = new RegExp(parameter, "i");
  return pattern.test(error.message) || pattern.test(String(error.param ?? "")) || pattern.test(JSON.stringify(error.error ?? ""));
}

function toModelCallError(error: unknown, variant: ModelEndpoint, key: string | undefined, attempts = 1): Error {
  if (error instanceof ModelCallError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  let message = describeCallFailure(error);
  if (key && key.length >= 4) message = message.split(key).join("[redacted]");
  const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
  return new ModelCallError(`${label(variant)}: ${message}${tries}`);
}

function sentSampling(sampling: SamplingParams, withSeed: boolean): SentSampling {
  const sent: SentSampling = { seed: withSeed && sampling.seed != null ? sampling.seed : null };
  if (sampling.temperature != null) sent.temperature = sampling.temperature;
  if (sampling.top_p != null) sent.top_p = sampling.top_p;
  if (sampling.max_tokens != null) sent.max_tokens = sampling.max_tokens;
  return sent;
}

function requestBody(model: string, messages: Message[], sent: SentSampling) {
  const { seed, ...rest } = sent;
  return { model, messages, ...rest, ...(seed !== null ? { seed } : {}) };
}

/** Exponential backoff with jitter: baseDelayMs, then ×2 each time (capped), only for errors worth retrying. */
function retryOptions(signal: AbortSignal | undefined): PRetryOptions {
  return {
    retries: retryPolicy.retries,
    minTimeout: retryPolicy.baseDelayMs,
    maxTimeout: retryPolicy.maxDelayMs,
    factor: 2,
    randomize: true,
    signal,
    shouldRetry: ({ error }) => isRetryable(error),
  };
}

/** Runs `attempt` under the variant's bound, retrying with backoff; returns its result or a ModelCallError. */
async function withRetries<T>(variant: ModelEndpoint, key: string | undefined, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  const limit = limiterFor(variant);
  let attempts = 0;
  try {
    return await pRetry(
      () =>
        limit(() => {
          signal?.throwIfAborted();
          attempts += 1;
          return attempt();
        }),
      retryOptions(signal),
    );
  } catch (error) {
    throw toModelCallError(error, variant, key, attempts);
  }
}

/** One chat completion. Retries as above; a seed the endpoint refuses is dropped once and recorded as null. */
export async function sampleChat(
  variant: ModelEndpoint,
  messages: Message[],
  sampling: SamplingParams = {},
  options: { signal?: AbortSignal } = {},
): Promise<ChatResult> {
  const { client, model, key } = endpointFor(variant);
  const { signal, dispose } = linkedSignal(options.signal);
  let withSeed = sampling.seed != null;
  const call = async (): Promise<ChatResult> => {
    const sent = sentSampling(sampling, withSeed);
    const started = performance.now();
    const body: ChatCompletionCreateParamsNonStreaming = requestBody(model, messages, sent);
    const completion = await client.chat.completions.create(body, { signal });
    const choice = completion.choices?.[0];
    if (!choice) throw new ModelCallError(`${label(variant)}: the endpoint answered without any choice.`);
    return {
      content: choice.message?.content ?? "",
      finishReason: choice.finish_reason ?? null,
      promptTokens: completion.usage?.prompt_tokens ?? null,
      completionTokens: completion.usage?.completion_tokens ?? null,
      latencyMs: Math.round(performance.now() - started),
      seed: sent.seed,
      sent,
    };
  };
  try {
    return await withRetries(variant, key, signal, async () => {
      try {
        return await call();
      } catch (error) {
        if (!withSeed || !rejectsParameter(error, "seed")) throw error;
        withSeed = false; // this endpoint takes no seed: ask once more without it
        return call();
      }
    });
  } finally {
    dispose();
  }
}

/** Text deltas as they arrive; `result` settles when the stream ends (usage included when the server sends it). */
export type ChatStream = AsyncIterable<string> & { result: Promise<ChatResult> };

/**
 * A streamed chat completion. Opening the stream is retried like sampleChat; once text has flowed, a failure
 * ends the stream with a ModelCallError (the caller offers a retry). The variant's slot is held until the end.
 */
export function streamChat(
  variant: ModelEndpoint,
  messages: Message[],
  sampling: SamplingParams = {},
  options: { signal?: AbortSignal } = {},
): ChatStream {
  let settle!: { resolve: (result: ChatResult) => void; reject: (error: unknown) => void };
  const result = new Promise<ChatResult>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined); // a caller that only iterates must not cause an unhandled rejection

  let settled = false;
  const finish = (outcome: { result: ChatResult } | { error: unknown }) => {
    if (settled) return;
    settled = true;
    if ("result" in outcome) settle.resolve(outcome.result);
    else settle.reject(outcome.error);
  };

  async function* deltas(): AsyncGenerator<string> {
    const { signal, dispose } = linkedSignal(options.signal);
    let release: (() => void) | undefined;
    let opened: { sent: SentSampling; started: number; stream: Stream<ChatCompletionChunk> } | undefined;
    let key: string | undefined;
    try {
      const endpoint = endpointFor(variant);
      key = endpoint.key;
      const limit = limiterFor(variant);
      let withSeed = sampling.seed != null;
      let withUsage = true;
      let attempts = 0;
      const open = async () => {
        const sent = sentSampling(sampling, withSeed);
        const body: ChatCompletionCreateParamsStreaming = {
          ...requestBody(endpoint.model, messages, sent),
          stream: true,
          ...(withUsage ? { stream_options: { include_usage: true } } : {}),
        };
        const started = performance.now();
        return { sent, started, stream: await endpoint.client.chat.completions.create(body, { signal }) };
      };
      opened = await pRetry(
        async () => {
          release = await acquireSlot(limit);
          try {
            signal?.throwIfAborted();
            attempts += 1;
            try {
              return await open();
            } catch (error) {
              if (withSeed && rejectsParameter(error, "seed")) withSeed = false; // recorded as null
              else if (withUsage && rejectsParameter(error, "stream_options")) withUsage = false; // no token counts then
              else throw error;
              return await open();
            }
          } catch (error) {
            release();
            release = undefined;
            throw error;
          }
        },
        retryOptions(signal),
      ).catch((error: unknown) => {
        throw toModelCallError(error, variant, key, attempts);
      });
      let content = "";
      let finishReason: string | null = null;
      let promptTokens: number | null = null;
      let completionTokens: number | null = null;
      try {
        for await (const chunk of opened.stream) {
          const choice = chunk.choices?.[0];
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          if (chunk.usage) {
            promptTokens = chunk.usage.prompt_tokens ?? null;
            completionTokens = chunk.usage.completion_tokens ?? null;
          }
          const delta = choice?.delta?.content;
          if (delta) {
            content += delta;
            yield delta;
          }
        }
      } catch (error) {
        throw toModelCallError(error, variant, key);
      }
      const latencyMs = Math.round(performance.now() - opened.started);
      finish({ result: { content, finishReason, promptTokens, completionTokens, latencyMs, seed: opened.sent.seed, sent: opened.sent } });
    } catch (error) {
      finish({ error });
      throw error;
    } finally {
      // The caller stopped reading early: close the connection and say so to whoever awaits the result.
      if (!settled) {
        opened?.stream.controller.abort();
        finish({ error: new ModelCallError(`${label(variant)}: the stream was cancelled.`) });
      }
      release?.();
      dispose();
    }
  }

  const iterable = deltas();
  return { [Symbol.asyncIterator]: () => iterable, result };
}

/** A one-token completion: every OpenAI-compatible server serves chat completions (not all serve /models). */
export async function testConnection(variant: ModelEndpoint): Promise<ConnectionReport> {
  let key: string | undefined;
  try {
    const endpoint = endpointFor(variant);
    key = endpoint.key;
    return await limiterFor(variant)(async () => {
      const started = performance.now();
      const completion = await endpoint.client.chat.completions.create({
        model: endpoint.model,
        messages: [{ role: "user", content: "ping" }],
        max_tokens: 1,
      });
      return { ok: true as const, latencyMs: Math.round(performance.now() - started), model: completion.model || endpoint.model };
    });
  } catch (error) {
    return { ok: false, error: toModelCallError(error, variant, key).message };
  }
}
