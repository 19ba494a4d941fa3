// The one place that calls model endpoints (any OpenAI-compatible server: vLLM, Ollama, TGI, llama.cpp, OpenAI),
// through the official SDK. Every HTTP attempt
//  - first waits for one of the variant's call slots: a p-limit in this process, then a lease in Postgres that every
//    server shares (call-slots.ts), so at most maxConcurrency calls are in flight per variant across replicas;
//  - runs under a deadline of timeoutMs that covers connect, headers and the whole body, streamed or not (the SDK's
//    own timeout stops at the headers, and Node's fetch would wait 300 s for a body that stalls);
//  - when it fails with 429, 5xx, its deadline or a broken connection, is retried with exponential backoff (p-retry)
//    with the same request, hence the same draw. A stream is retried until its first text has been passed on.
import OpenAI, { APIConnectionError, APIError } from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import pLimit, { type LimitFunction } from "p-limit";
import pRetry, { type Options as PRetryOptions } from "p-retry";
import { API_KEY_ENV_NAME, MODEL_KEY_PREFIX, readApiKey } from "../env";
import { describeCallFailure } from "./call-failure";
import { endpointHostProblem } from "./endpoint-hosts";
import { takeCallSlot } from "./call-slots";
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

/** `signal` gives up the call (no error is made of it); `onAttempt` is told of every HTTP request as it is sent. */
export type CallOptions = { signal?: AbortSignal; onAttempt?: () => void };

export type ConnectionReport = { ok: true; latencyMs: number; model: string } | { ok: false; error: string };

/** A failed call, with a message safe to store and show: it names the variant and never contains the key. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    /** HTTP requests sent before giving up. */
    readonly attempts = 0,
  ) {
    super(message);
    this.name = "ModelCallError";
  }
}

/** An attempt that outlived the variant's timeoutMs: transient, retried like a 503. */
class CallTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timeout: the endpoint did not answer in time (no complete answer within ${timeoutMs} ms, the variant's timeoutMs)`);
    this.name = "CallTimeoutError";
  }
}

/** The connection failed or broke before the answer was complete (refused, reset, closed): transient. */
class EndpointConnectionError extends Error {
  constructor(cause: unknown) {
    super(`the connection broke before the answer was complete (${describeCause(cause)})`, { cause });
    this.name = "EndpointConnectionError";
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
// connection) shares the variant's bound here before asking Postgres for a slot shared with other servers.
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

/** Takes a slot of the limiter until the returned release is called; a caller that gives up while queued leaves. */
function acquireLocalSlot(limit: LimitFunction, signal: AbortSignal | undefined): Promise<() => void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let abandoned = false;
    const abandon = () => {
      abandoned = true;
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", abandon, { once: true });
    void limit(
      () =>
        new Promise<void>((release) => {
          signal?.removeEventListener("abort", abandon);
          if (abandoned)
            release(); // its turn came after it left: pass the slot on
          else resolve(release);
        }),
    );
  });
}

/** One HTTP attempt in progress: it holds a call slot here and in Postgres, and its deadline runs. */
type Attempt = {
  /** Aborted by the deadline, by the caller's signal, or by abort(). */
  signal: AbortSignal;
  /** What really ended the attempt: the deadline or the caller's abort when either fired, else `error` itself. */
  reason(error: unknown): unknown;
  /** Throws if the deadline or the caller ended the attempt (the SDK ends an aborted stream quietly). */
  check(): void;
  abort(): void;
  /** Stops the deadline and gives both slots back; safe to call twice. */
  end(): Promise<void>;
};

async function beginAttempt(variant: ModelEndpoint, options: CallOptions): Promise<Attempt> {
  const parent = options.signal;
  const releaseLocal = await acquireLocalSlot(limiterFor(variant), parent);
  let lease;
  try {
    lease = await takeCallSlot(variant, parent);
  } catch (error) {
    releaseLocal();
    throw error;
  }
  if (parent?.aborted) {
    // Given up while the slot was being taken: no request leaves, so none is counted.
    await lease.release();
    releaseLocal();
    throw parent.reason;
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new CallTimeoutError(variant.timeoutMs));
  }, variant.timeoutMs);
  const followParent = () => controller.abort(parent!.reason);
  if (parent?.aborted) followParent();
  else parent?.addEventListener("abort", followParent, { once: true });
  options.onAttempt?.();
  let ended = false;
  const reason = (error: unknown): unknown => {
    if (parent?.aborted) return parent.reason;
    if (timedOut) return new CallTimeoutError(variant.timeoutMs);
    if (!(error instanceof APIError) && isTransportError(error)) return new EndpointConnectionError(error);
    return error;
  };
  return {
    signal: controller.signal,
    reason,
    check() {
      if (parent?.aborted || timedOut) throw reason(undefined);
    },
    abort: () => controller.abort(),
    async end() {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      parent?.removeEventListener("abort", followParent);
      await lease.release();
      releaseLocal();
    },
  };
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
    throw new ModelCallError(
      `${label(variant)}: apiKeyEnv ${variant.apiKeyEnv} is not a model key variable (its name must start with ${MODEL_KEY_PREFIX}); nothing was sent.`,
    );
  }
  if (variant.apiKeyEnv && key === undefined) {
    throw new ModelCallError(`${label(variant)}: the environment variable ${variant.apiKeyEnv} (its API key) is not set on the server.`);
  }
  const client = new OpenAI({
    baseURL: variant.baseUrl,
    // The SDK refuses to start without a key; a variant without one sends no Authorization header at all
    // (a null default header removes the SDK's own).
    apiKey: key ?? "no-key",
    defaultHeaders: key === undefined ? { Authorization: null } : undefined,
    // Our deadline (beginAttempt) is the one that counts; the SDK's would only cover the headers.
    timeout: variant.timeoutMs + 1000,
    maxRetries: 0, // retries happen here, with backoff and the concurrency bound
    organization: null,
    project: null,
  });
  return { client, model: variant.modelId, key };
}

const TRANSPORT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** A failure of the connection itself (Node's fetch says "terminated" when a body breaks off), not of the server. */
function isTransportError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === "string" && TRANSPORT_CODES.has(code)) return true;
    if (name === "TypeError" && (message === "terminated" || message === "fetch failed")) return true;
  }
  return false;
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth += 1) {
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && message && !parts.includes(message)) parts.push(message);
  }
  return parts.join(": ") || String(error);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof CallTimeoutError || error instanceof EndpointConnectionError) return true;
  if (error instanceof APIConnectionError) return true; // refused, reset, timed out before the headers
  if (error instanceof APIError && typeof error.status === "number") return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}

/** A 400 that names the parameter: some servers refuse `seed` (or `stream_options`) instead of ignoring it. */
function rejectsParameter(error: unknown, parameter: string): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  const pattern = new RegExp(parameter, "i");
  return pattern.test(error.message) || pattern.test(String(error.param ?? "")) || pattern.test(JSON.stringify(error.error ?? ""));
}

function toModelCallError(error: unknown, variant: ModelEndpoint, key: string | undefined, attempts: number): Error {
  if (error instanceof ModelCallError) return error.attempts === attempts ? error : new ModelCallError(error.message, attempts);
  if (error instanceof Error && error.name === "AbortError") return error;
  let message = describeCallFailure(error);
  if (key && key.length >= 4) message = message.split(key).join("[redacted]");
  const tries = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
  return new ModelCallError(`${label(variant)}: ${message}${tries}`, attempts);
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

/** One chat completion. Retries as above; a seed the endpoint refuses is dropped once and recorded as null. */
export async function sampleChat(
  variant: ModelEndpoint,
  messages: Message[],
  sampling: SamplingParams = {},
  options: CallOptions = {},
): Promise<ChatResult> {
  const { client, model, key } = endpointFor(variant);
  let withSeed = sampling.seed != null;
  let attempts = 0;
  const counted: CallOptions = { signal: options.signal, onAttempt: () => ((attempts += 1), options.onAttempt?.()) };
  const call = async (): Promise<ChatResult> => {
    const sent = sentSampling(sampling, withSeed);
    const body: ChatCompletionCreateParamsNonStreaming = requestBody(model, messages, sent);
    const attempt = await beginAttempt(variant, counted);
    const started = performance.now();
    try {
      const completion = await client.chat.completions.create(body, { signal: attempt.signal });
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
    } catch (error) {
      throw attempt.reason(error);
    } finally {
      await attempt.end();
    }
  };
  try {
    return await pRetry(async () => {
      try {
        return await call();
      } catch (error) {
        if (!withSeed || !rejectsParameter(error, "seed")) throw error;
        withSeed = false; // this endpoint takes no seed: ask once more without it
        return call();
      }
    }, retryOptions(options.signal));
  } catch (error) {
    throw toModelCallError(error, variant, key, attempts);
  }
}

/** Text deltas as they arrive; `result` settles when the stream ends (usage included when the server sends it). */
export type ChatStream = AsyncIterable<string> & { result: Promise<ChatResult> };

/**
 * A streamed chat completion. Until its first text arrives, a failure (stall and reset included) is retried like
 * sampleChat; once text has flowed, a failure ends the stream with a ModelCallError (the caller offers a retry).
 * The variant's call slot is held, and the deadline runs, until the stream ends.
 */
export function streamChat(variant: ModelEndpoint, messages: Message[], sampling: SamplingParams = {}, options: CallOptions = {}): ChatStream {
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

  type Opened = {
    attempt: Attempt;
    chunks: AsyncIterator<ChatCompletionChunk>;
    /** Chunks read up to and including the first one with text. */
    early: ChatCompletionChunk[];
    ended: boolean;
    sent: SentSampling;
    started: number;
  };

  async function* deltas(): AsyncGenerator<string> {
    let opened: Opened | undefined;
    let key: string | undefined;
    let attempts = 0;
    try {
      const endpoint = endpointFor(variant);
      key = endpoint.key;
      let withSeed = sampling.seed != null;
      let withUsage = true;
      const counted: CallOptions = { signal: options.signal, onAttempt: () => ((attempts += 1), options.onAttempt?.()) };
      const open = async (): Promise<Opened> => {
        const sent = sentSampling(sampling, withSeed);
        const body: ChatCompletionCreateParamsStreaming = {
          ...requestBody(endpoint.model, messages, sent),
          stream: true,
          ...(withUsage ? { stream_options: { include_usage: true } } : {}),
        };
        const attempt = await beginAttempt(variant, counted);
        const started = performance.now();
        try {
          const stream = await endpoint.client.chat.completions.create(body, { signal: attempt.signal });
          const chunks = stream[Symbol.asyncIterator]();
          const early: ChatCompletionChunk[] = [];
          let ended = false;
          for (;;) {
            const next = await chunks.next();
            if (next.done) {
              ended = true;
              break;
            }
            early.push(next.value);
            if (next.value.choices?.[0]?.delta?.content) break;
          }
          attempt.check();
          return { attempt, chunks, early, ended, sent, started };
        } catch (error) {
          await attempt.end();
          throw attempt.reason(error);
        }
      };
      opened = await pRetry(async () => {
        try {
          return await open();
        } catch (error) {
          if (withSeed && rejectsParameter(error, "seed"))
            withSeed = false; // recorded as null
          else if (withUsage && rejectsParameter(error, "stream_options"))
            withUsage = false; // no token counts then
          else throw error;
          return open();
        }
      }, retryOptions(options.signal)).catch((error: unknown) => {
        throw toModelCallError(error, variant, key, attempts);
      });
      const { attempt, chunks } = opened;
      let content = "";
      let finishReason: string | null = null;
      let promptTokens: number | null = null;
      let completionTokens: number | null = null;
      const read = (chunk: ChatCompletionChunk): string | undefined => {
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens ?? null;
          completionTokens = chunk.usage.completion_tokens ?? null;
        }
        const delta = choice?.delta?.content;
        if (delta) content += delta;
        return delta ?? undefined;
      };
      try {
        for (const chunk of opened.early) {
          const delta = read(chunk);
          if (delta) yield delta;
        }
        while (!opened.ended) {
          const next = await chunks.next();
          if (next.done) break;
          const delta = read(next.value);
          if (delta) yield delta;
        }
        attempt.check(); // a stall between chunks ends at the deadline, which the SDK reports as a quiet end
      } catch (error) {
        throw toModelCallError(attempt.reason(error), variant, key, attempts);
      }
      const latencyMs = Math.round(performance.now() - opened.started);
      finish({ result: { content, finishReason, promptTokens, completionTokens, latencyMs, seed: opened.sent.seed, sent: opened.sent } });
    } catch (error) {
      finish({ error });
      throw error;
    } finally {
      // The caller stopped reading early: close the connection and say so to whoever awaits the result.
      if (!settled) {
        opened?.attempt.abort();
        finish({ error: new ModelCallError(`${label(variant)}: the stream was cancelled.`, attempts) });
      }
      await opened?.attempt.end();
    }
  }

  const iterable = deltas();
  return { [Symbol.asyncIterator]: () => iterable, result };
}

/** A one-token completion, once, under the same slots and deadline: every OpenAI-compatible server serves chat completions. */
export async function testConnection(variant: ModelEndpoint): Promise<ConnectionReport> {
  let key: string | undefined;
  try {
    const endpoint = endpointFor(variant);
    key = endpoint.key;
    const attempt = await beginAttempt(variant, {});
    try {
      const started = performance.now();
      const completion = await endpoint.client.chat.completions.create(
        { model: endpoint.model, messages: [{ role: "user", content: "ping" }], max_tokens: 1 },
        { signal: attempt.signal },
      );
      return { ok: true, latencyMs: Math.round(performance.now() - started), model: completion.model || endpoint.model };
    } catch (error) {
      throw attempt.reason(error);
    } finally {
      await attempt.end();
    }
  } catch (error) {
    return { ok: false, error: toModelCallError(error, variant, key, 1).message };
  }
}
