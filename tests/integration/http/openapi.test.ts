// The OpenAPI description of API v1: every route under app/api/v1 described and every described route real,
// generated from the zod schemas the routes validate with; served as JSON and rendered at /api/docs.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describedRoutes, openApiDocument } from "@/server/http/openapi";
import { submitJudgementSchema } from "@/server/tasks/schemas";
import { createBatchSchema } from "@/server/batches/schemas";
import { EXPORT_FORMATS } from "@/lib/export-formats";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as docsRoute from "@/app/api/docs/route";
import * as docsAssetRoute from "@/app/api/docs/[asset]/route";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const API = path.join(ROOT, "app", "api", "v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every "METHOD /path" the app serves under /api/v1: each route.ts and the handlers it exports. */
function servedRoutes(): string[] {
  const routes: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const url =
          "/" +
          path
            .relative(path.join(ROOT, "app"), dir)
            .split(path.sep)
            .map((part) => part.replace(/^\[(\w+)\]$/, "{$1}"))
            .join("/");
        for (const method of METHODS) {
          if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) routes.push(`${method} ${url}`);
        }
      }
    }
  };
  walk(API);
  return routes.sort();
}

describe("OpenAPI description of API v1", () => {
  it("describes every route under app/api/v1, and only those", () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(30);
    expect([...describedRoutes()].sort()).toEqual(served);
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([url, item]) =>
      METHODS.filter((m) => (item as Record<string, unknown>)[m.toLowerCase()] !== undefined).map((m) => `${m} ${url}`),
    );
    expect(documented.sort()).toEqual(served);
  });

  it("is OpenAPI 3.1 generated from the zod schemas the routes parse with", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    type Schema = { properties: Record<string, { enum?: string[]; minLength?: number; maxLength?: number }>; required?: string[] };
    const body = (p: string, m: "post") =>
      (doc.paths![p]![m]!.requestBody as { content: Record<string, { schema: Schema }> }).content["application/json"].schema;
    const judgement = body("/api/v1/judgements", "post");
    expect(judgement.properties.degree.enum).toEqual(submitJudgementSchema.shape.degree.options);
    expect(judgement.properties.idempotencyKey).toMatchObject({ minLength: 8, maxLength: 200 });
    expect(judgement.required?.sort()).toEqual(["assignmentId", "chosen", "degree", "idempotencyKey", "timeSpentMs"]);
    // The same JSON Schema zod itself gives for the route's schema.
    const fromZod = z.toJSONSchema(createBatchSchema, { target: "draft-2020-12", io: "input" }) as Schema;
    expect(Object.keys(body("/api/v1/batches", "post").properties).sort()).toEqual(Object.keys(fromZod.properties).sort());
    expect(body("/api/v1/batches", "post").properties.focus.enum).toEqual(fromZod.properties.focus.enum);
    const exportParams = doc.paths!["/api/v1/exports/{format}"]!.get!.parameters as { name: string; in: string; schema: { enum?: string[] } }[];
    expect(exportParams.find((p) => p.in === "path")!.schema.enum).toEqual([...EXPORT_FORMATS]);
    expect(exportParams.filter((p) => p.in === "query").map((p) => p.name)).toEqual(
      expect.arrayContaining(["batches", "focus", "margin", "aggregate", "ids", "salt", "testFraction", "gzip"]),
    );
    // Errors have the API's one shape.
    expect(doc.paths!["/api/v1/batches"]!.post!.responses!["401"]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
  });

  it("is served at /api/v1/openapi.json without a token", async () => {
    const response = openapiRoute.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("is rendered at /api/docs from files served here, under a strict Content-Security-Policy", async () => {
    const page = docsRoute.GET();
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    const html = await page.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(["/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js", "/api/docs/docs.js"]);
    expect(html).not.toMatch(/<script>|<style|style="/);
    const asset = (name: string) =>
      docsAssetRoute.GET(new Request(`http://localhost/api/docs/${name}`), { params: Promise.resolve({ asset: name }) });
    for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "docs.js"]) {
      const response = await asset(name);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(await (await asset("docs.js")).text()).toContain('url: "/api/v1/openapi.json"');
    expect((await asset("..%2Fpackage.json")).status).toBe(404);
    expect((await asset("index.html")).status).toBe(404);
  });
});
