// A small OpenAI-compatible server for tests and benches: POST /v1/chat/completions, plain and streamed (SSE),
// answering deterministically with the model id, temperature and seed it was sent, recording every request (with
// when it started and ended), counting the requests in flight per model, and switchable to misbehave the way real
// endpoints do: fail (429/500), answer slowly, refuse `seed`, cut a stream halfway, send the headers and then stall
// (before the body, or halfway through a stream), or reset the connection right after the headers. `configure`
// makes every answer take a random 300–800 ms (say) with a share of stalls and 429s, for the generation bench.
// `chunkDelayMs` paces streamed chunks so that a browser can watch the text arrive.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedRequest = {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    temperature?: number;
    top_p?: number;
    max_tokens?: number;
    seed?: number;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
  };
  /** How the server answered: a status code, "aborted" when the client went away first, "reset" when it cut the connection. */
  answer: number | "aborted" | "reset";
  /** Date.now() when the request arrived, and when its answer ended (or the client left); null while in flight. */
  startedAt: number;
  endedAt: number | null;
};

type Rule =
  | { kind: "status"; status: number }
  | { kind: "delay"; ms: number }
  | { kind: "reject-seed" }
  | { kind: "cut" }
  | { kind: "stall" }
  | { kind: "stall-mid-stream" }
  | { kind: "reset" };
type Switch = { rule: Rule; remaining: number; model?: string };

/** Every answer's behaviour when no switch applies: a latency drawn uniformly, and shares of stalls and 429s. */
export type FakeBehaviour = { latencyMs?: [number, number]; stallRate?: number; rateLimitRate?: number };

/** Deterministic reply: tests read back what the server was sent. */
export function fakeReply(body: RecordedRequest["body"]): string {
  const lastUser = [...(body.messages ?? [])].reverse().find((m) => m.role === "user")?.content ?? "";
  return `[${body.model}] t=${body.temperature ?? "default"} seed=${body.seed ?? "none"} :: ${lastUser}`;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export type FakeModelServer = {
  /** Base URL to register as a variant's baseUrl, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  requests: RecordedRequest[];
  /** The most requests ever in flight at once, per model id. */
  maxInFlight: Map<string, number>;
  /** Requests in flight right now, for `model` or in all. */
  inFlight(model?: string): number;
  /** Answer the next `times` requests (for `model`, or any) with this status. Infinity = until reset(). */
  fail(status: number, times?: number, model?: string): void;
  /** Delay the next `times` requests (for `model`, or any) by `ms`. */
  delay(ms: number, times?: number, model?: string): void;
  /** Refuse, with a 400 naming `seed`, the next `times` requests that carry a seed. */
  rejectSeed(times?: number, model?: string): void;
  /** Break the connection halfway through the next `times` streamed answers (for `model`, or any). */
  cut(times?: number, model?: string): void;
  /** Send the headers of the next `times` answers, then nothing more until the client gives up. */
  stall(times?: number, model?: string): void;
  /** Stream half of the next `times` streamed answers, then nothing more until the client gives up. */
  stallMidStream(times?: number, model?: string): void;
  /** Send the headers of the next `times` answers, then reset the connection. */
  resetAfterHeaders(times?: number, model?: string): void;
  /** How every answer behaves when no switch applies (default: at once, never failing). */
  configure(behaviour: FakeBehaviour): void;
  /** Drops every switch, restores the behaviour it started with, and forgets the recorded requests. */
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeModelServer(options: { chunkDelayMs?: number } & FakeBehaviour = {}): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let switches: Switch[] = [];
  const initial: FakeBehaviour = { latencyMs: options.latencyMs, stallRate: options.stallRate, rateLimitRate: options.rateLimitRate };
  let behaviour = initial;

  function take(kind: Rule["kind"], model: string, applies = true): Rule | null {
    if (!applies) return null;
    const found = switches.find((s) => s.rule.kind === kind && s.remaining > 0 && (!s.model || s.model === model));
    if (!found) return null;
    found.remaining -= 1;
    return found.rule;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => {
      void (async () => {
        const path = (req.url ?? "").split("?")[0];
        let body: RecordedRequest["body"] = {};
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          return sendJson(res, 400, { error: { message: "invalid JSON", type: "invalid_request_error" } });
        }
        const record: RecordedRequest = { path, headers: req.headers, body, answer: 200, startedAt: Date.now(), endedAt: null };
        requests.push(record);
        if (req.method === "GET" && path === "/v1/models") {
          record.endedAt = Date.now();
          return sendJson(res, 200, { object: "list", data: [{ id: "fake-model", object: "model" }] });
        }
        if (req.method !== "POST" || path !== "/v1/chat/completions") {
          record.answer = 404;
          record.endedAt = Date.now();
          return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
        }
        const model = body.model ?? "";
        const current = (inFlight.get(model) ?? 0) + 1;
        inFlight.set(model, current);
        maxInFlight.set(model, Math.max(maxInFlight.get(model) ?? 0, current));
        let gone = false;
        let leave!: () => void;
        const left = new Promise<void>((resolve) => (leave = resolve));
        res.on("close", () => {
          if (!res.writableFinished) {
            gone = true;
            if (record.answer !== "reset") record.answer = "aborted";
          }
          leave();
        });
        /** Headers out, then nothing: the client's own deadline has to end it. */
        const stallAfterHeaders = async (contentType: string) => {
          res.writeHead(200, { "content-type": contentType });
          res.flushHeaders();
          await left;
        };
        try {
          // A rate limiter refuses at once, before any work: the behaviour's 429s come without its latency.
          const limited = Math.random() < (behaviour.rateLimitRate ?? 0);
          const delay = take("delay", model);
          if (delay?.kind === "delay") await new Promise((r) => setTimeout(r, delay.ms));
          else if (behaviour.latencyMs && !limited) {
            const [min, max] = behaviour.latencyMs;
            await new Promise((r) => setTimeout(r, min + Math.random() * (max - min)));
          }
          if (gone) return;
          const failure = take("status", model) ?? (limited ? ({ kind: "status", status: 429 } as const) : null);
          if (failure?.kind === "status") {
            record.answer = failure.status;
            // Like a careless real endpoint, the error echoes the credentials it got: callers must not pass them on.
            const message = `the fake server answers ${failure.status} as told (got authorization: ${req.headers.authorization ?? "none"})`;
            return sendJson(res, failure.status, { error: { message, type: "server_error" } });
          }
          if (take("reject-seed", model, body.seed !== undefined)) {
            record.answer = 400;
            return sendJson(res, 400, {
              error: { message: "Unsupported parameter: 'seed' is not supported with this model.", type: "invalid_request_error", param: "seed" },
            });
          }
          const contentType = body.stream ? "text/event-stream" : "application/json";
          if (take("stall", model) || Math.random() < (behaviour.stallRate ?? 0)) return await stallAfterHeaders(contentType);
          if (take("reset", model)) {
            record.answer = "reset";
            res.writeHead(200, { "content-type": contentType });
            if (body.stream) res.flushHeaders();
            else res.write('{"id":"chatcmpl-');
            await new Promise((r) => setTimeout(r, 20)); // the client has the headers: now the connection breaks
            res.destroy();
            return;
          }
          const content = fakeReply(body);
          const promptTokens = (body.messages ?? []).reduce((n, m) => n + words(m.content), 0);
          const completionTokens = words(content);
          const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
          const base = { id: `chatcmpl-${requests.length}`, created: Math.floor(Date.now() / 1000), model };
          if (!body.stream) {
            return sendJson(res, 200, {
              ...base,
              object: "chat.completion",
              choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
              usage,
            });
          }
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          const event = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
          const chunk = (delta: Record<string, string>, finish: string | null) =>
            event({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
          chunk({ role: "assistant", content: "" }, null);
          const pieces = content.match(/\S+\s*/g) ?? [];
          const cutAfter = take("cut", model) ? Math.ceil(pieces.length / 2) : Infinity;
          const stallAfter = take("stall-mid-stream", model) ? Math.ceil(pieces.length / 2) : Infinity;
          for (const [index, piece] of pieces.entries()) {
            if (index === cutAfter) {
              record.answer = "aborted";
              await new Promise((r) => setTimeout(r, 50)); // let the chunks so far reach the client first
              res.destroy(); // mid-stream: the client has text already, then the connection is gone
              return;
            }
            if (index === stallAfter) {
              await left; // mid-stream: the client has text already, then nothing more
              return;
            }
            chunk({ content: piece }, null);
            if (options.chunkDelayMs) await new Promise((r) => setTimeout(r, options.chunkDelayMs));
            if (gone) return;
          }
          chunk({}, "stop");
          if (body.stream_options?.include_usage) event({ ...base, object: "chat.completion.chunk", choices: [], usage });
          res.write("data: [DONE]\n\n");
          res.end();
        } finally {
          record.endedAt = Date.now();
          inFlight.set(model, (inFlight.get(model) ?? 1) - 1);
        }
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const add =
    (rule: Rule) =>
    (times = 1, model?: string) =>
      void switches.push({ rule, remaining: times, model });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight,
    inFlight: (model) => (model === undefined ? [...inFlight.values()].reduce((a, b) => a + b, 0) : (inFlight.get(model) ?? 0)),
    fail: (status, times = 1, model) => switches.push({ rule: { kind: "status", status }, remaining: times, model }),
    delay: (ms, times = 1, model) => switches.push({ rule: { kind: "delay", ms }, remaining: times, model }),
    rejectSeed: add({ kind: "reject-seed" }),
    cut: add({ kind: "cut" }),
    stall: add({ kind: "stall" }),
    stallMidStream: add({ kind: "stall-mid-stream" }),
    resetAfterHeaders: add({ kind: "reset" }),
    configure(next) {
      behaviour = { ...next };
    },
    reset() {
      switches = [];
      behaviour = initial;
      requests.length = 0;
      maxInFlight.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
