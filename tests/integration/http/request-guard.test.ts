// What a request must be before a handler reads it (issue 9): from the app's origin when the session cookie
// authenticates it, of the right content type (415), within its size (413, before buffering), with text Postgres
// can store (400 naming the field), with strict types.
import { describe, expect, it } from "vitest";
import * as batchesRoute from "@/app/api/v1/batches/route";
import * as vendorsRoute from "@/app/api/v1/vendors/route";
import * as judgementsRoute from "@/app/api/v1/judgements/route";
import * as itemsRoute from "@/app/api/v1/batches/[id]/items/route";
import * as exportRoute from "@/app/api/v1/exports/[format]/route";
import * as datasetsRoute from "@/app/api/v1/datasets/route";
import { db } from "@/server/db";
import { makeUser } from "../fixtures";
import { tokenFor } from "../api-call";

const SESSION_COOKIE = "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function send(handler: Handler, init: RequestInit & { url?: string; params?: Record<string, string> }) {
  const request = new Request(init.url ?? "http://localhost/api/v1/x", { duplex: "half", ...init } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

describe("forged requests", () => {
  it("refuses a cookie-authenticated write from another origin, a text/plain form, or with no origin at all: 403, nothing created", async () => {
    const before = await db.vendor.count();
    for (const headers of <Record<string, string>[]>[
      { origin: "http://127.0.0.1:4000", "content-type": "application/json" },
      { origin: "null", "content-type": "text/plain" },
      { "sec-fetch-site": "same-site", "content-type": "application/x-www-form-urlencoded" },
      { "content-type": "multipart/form-data; boundary=x" },
    ]) {
      const answer = await send(vendorsRoute.POST as Handler, {
        method: "POST",
        headers: { cookie: SESSION_COOKIE, ...headers },
        body: JSON.stringify({ name: "Forged vendor" }),
      });
      expect(answer.status).toBe(403);
      expect(answer.json.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Cross-origin request refused/) });
    }
    expect(await db.vendor.count()).toBe(before);
  });

  it("leaves bearer-token calls alone, whatever their Origin", async () => {
    const token = await tokenFor(await makeUser("admin"));
    const answer = await send(vendorsRoute.POST as Handler, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, origin: "http://elsewhere.example", "content-type": "application/json" },
      body: JSON.stringify({ name: `Vendor ${Date.now()}` }),
    });
    expect(answer.status).toBe(201);
  });
});

describe("content types and sizes", () => {
  it("answers 415 to JSON sent as text/plain or application/xml, naming the type to send", async () => {
    const token = await tokenFor(await makeUser("admin"));
    for (const type of ["text/plain", "application/xml", "application/x-www-form-urlencoded"]) {
      const answer = await send(batchesRoute.POST as Handler, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": type },
        body: JSON.stringify({ name: "b", focus: "helpfulness", overlap: 1, guidelines: "" }),
      });
      expect(answer.status, type).toBe(415);
      expect(answer.json.error.message).toMatch(/Content-Type: application\/json/);
    }
  });

  it("answers 413 to a JSON body over the limit before reading it whole, declared or chunked", async () => {
    const token = await tokenFor(await makeUser("annotator"));
    let pulled = 0;
    // 500 MB would be offered; the handler must stop after about 1 MB.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        if (pulled > 500 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const chunked = await send(judgementsRoute.POST as Handler, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: endless,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.json.error.code).toBe("payload_too_large");
    expect(pulled).toBeLessThan(4 * 1024 * 1024);

    const declared = await send(judgementsRoute.POST as Handler, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": String(500 * 1024 * 1024) },
      body: new ReadableStream({ start: (c) => c.close() }),
    });
    expect(declared.status).toBe(413);
  });

  it("answers 415 to an import of the wrong type and 413 past the import's total limit, importing nothing", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const { id } = await (
      await import("@/server/batches/create-batch")
    ).createBatch(admin, { name: "limits", focus: "helpfulness", overlap: 1, guidelines: "" });
    const wrongType = await send(itemsRoute.POST as Handler, {
      method: "POST",
      url: "http://localhost/api/v1/batches/x/items?format=pairwise",
      params: { id },
      headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
    const tooLarge = await send(itemsRoute.POST as Handler, {
      method: "POST",
      url: "http://localhost/api/v1/batches/x/items?format=pairwise",
      params: { id },
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "content-length": String(10 * 1024 * 1024 * 1024) },
      body: new ReadableStream({ start: (c) => c.close() }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await db.comparison.count({ where: { batchId: id } })).toBe(0);
  });
});

describe("hostile characters and strict types", () => {
  it("answers 400 naming the field for a NUL, a lone surrogate, and a negative-year date (they were 500s)", async () => {
    const admin = await makeUser("admin");
    const token = await tokenFor(admin);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const nul = await send(batchesRoute.POST as Handler, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "a\u0000b", focus: "helpfulness", overlap: 1, guidelines: "" }),
    });
    expect(nul.status).toBe(400);
    expect(nul.json.error.message).toMatch(/^name: must not contain a NUL character/);
    const surrogate = await send(datasetsRoute.POST as Handler, {
      method: "POST",
      headers: auth,
      body: '{"name":"x","format":"canonical","filters":{"batches":["\\ud800"]},"options":{}}',
    });
    expect(surrogate.status).toBe(400);
    expect(surrogate.json.error.message).toMatch(/^filters\.batches\.0: must not contain a lone surrogate/);
    const researcher = await tokenFor(await makeUser("researcher"));
    const date = await send(exportRoute.GET as Handler, {
      url: "http://localhost/api/v1/exports/canonical?focus=helpfulness&from=-000001-01-01",
      params: { format: "canonical" },
      headers: { authorization: `Bearer ${researcher}` },
    });
    expect(date.status).toBe(400);
    expect(date.json.error.message).toMatch(/from: must be a date between 1970 and 9999/);
  });

  it("coerces neither booleans nor arrays into numbers", async () => {
    const token = await tokenFor(await makeUser("admin"));
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    for (const overlap of [true, [3], "3"]) {
      const answer = await send(batchesRoute.POST as Handler, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ name: "strict", focus: "helpfulness", overlap, guidelines: "" }),
      });
      expect(answer.status, JSON.stringify(overlap)).toBe(400);
      expect(answer.json.error.message).toMatch(/overlap: must be a whole number/);
    }
  });
});
