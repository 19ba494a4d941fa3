// A small OpenAI-compatible server for tests: POST /v1/chat/completions, plain and streamed (SSE), answering
// deterministically with the model id, temperature and seed it was sent, recording every request, and
// switchable to fail (429/500), to be slow, to refuse `seed`, or to cut a stream halfway. `chunkDelayMs` paces
// streamed chunks so that a browser can watch the text arrive.
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
  /** How the server answered: a status code, "aborted" when the client went away first. */
  answer: number | "aborted";
};

type Rule = { kind: "status"; status: number } | { kind: "delay"; ms: number } | { kind: "reject-seed" } | { kind: "cut" };
type Switch = { rule: Rule; remaining: number; model?: string };

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
  /** Answer the next `times` requests (for `model`, or any) with this status. Infinity = until reset(). */
  fail(status: number, times?: number, model?: string): void;
  /** Delay the next `times` requests (for `model`, or any) by `ms`. */
  delay(ms: number, times?: number, model?: string): void;
  /** Refuse, with a 400 naming `seed`, the next `times` requests that carry a seed. */
  rejectSeed(times?: number, model?: string): void;
  /** Break the connection halfway through the next `times` streamed answers (for `model`, or any). */
  cut(times?: number, model?: string): void;
  /** Drops every switch and forgets the recorded requests. */
  reset(): void;
  close(): Promise<void>;
};

export async function startFakeModelServer(options: { chunkDelayMs?: number } = {}): Promise<FakeModelServer> {
  const requests: RecordedRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let switches: Switch[] = [];

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
        const record: RecordedRequest = { path, headers: req.headers, body, answer: 200 };
        requests.push(record);
        if (req.method === "GET" && path === "/v1/models") {
          return sendJson(res, 200, { object: "list", data: [{ id: "fake-model", object: "model" }] });
        }
        if (req.method !== "POST" || path !== "/v1/chat/completions") {
          record.answer = 404;
          return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
        }
        const model = body.model ?? "";
        const current = (inFlight.get(model) ?? 0) + 1;
        inFlight.set(model, current);
        maxInFlight.set(model, Math.max(maxInFlight.get(model) ?? 0, current));
        let gone = false;
        res.on("close", () => {
          if (!res.writableFinished) {
            gone = true;
            record.answer = "aborted";
          }
        });
        try {
          const delay = take("delay", model);
          if (delay?.kind === "delay") await new Promise((r) => setTimeout(r, delay.ms));
          if (gone) return;
          const failure = take("status", model);
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
          for (const [index, piece] of pieces.entries()) {
            if (index === cutAfter) {
              record.answer = "aborted";
              await new Promise((r) => setTimeout(r, 50)); // let the chunks so far reach the client first
              res.destroy(); // mid-stream: the client has text already, then the connection is gone
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
          inFlight.set(model, (inFlight.get(model) ?? 1) - 1);
        }
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight,
    fail: (status, times = 1, model) => switches.push({ rule: { kind: "status", status }, remaining: times, model }),
    delay: (ms, times = 1, model) => switches.push({ rule: { kind: "delay", ms }, remaining: times, model }),
    rejectSeed: (times = 1, model) => switches.push({ rule: { kind: "reject-seed" }, remaining: times, model }),
    cut: (times = 1, model) => switches.push({ rule: { kind: "cut" }, remaining: times, model }),
    reset() {
      switches = [];
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
