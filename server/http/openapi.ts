// The OpenAPI 3.1 description of /api/v1, generated from the zod schemas the routes validate with (request bodies
// and query strings), so the description cannot drift from what the server accepts. Served at
// /api/v1/openapi.json and rendered at /api/docs; tests/integration/http/openapi.test.ts checks that every
// route under app/api/v1 is described and every described route exists.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { EXPORT_FORMATS } from "@/lib/export-formats";
import { auditFilterSchema } from "../audit/schemas";
import {
  createBatchSchema,
  saveGuidelinesSchema,
  setBatchModelVariantsSchema,
  setBatchStatusSchema,
  updateBatchSchema,
  batchItemsQuerySchema,
} from "../batches/schemas";
import { createDatasetSchema, downloadDatasetSchema } from "../datasets/schemas";
import { retrySideSchema, startDialogueSchema, startNextTurnSchema } from "../dialogues/schemas";
import { exportFiltersSchema, exportOptionsSchema } from "../exports/schemas";
import { importQuerySchema } from "../imports/schemas";
import { insightsFilterSchema } from "../insights/schemas";
import { createModelVariantSchema, updateModelVariantSchema } from "../model-variants/schemas";
import { claimTaskSchema, reviseJudgementSchema, skipTaskSchema, submitJudgementQuerySchema, submitJudgementSchema } from "../tasks/schemas";
import { createUserSchema, updateUserSchema } from "../users/schemas";
import { vendorSchema } from "../vendors/schemas";
import { createApiTokenSchema, listApiTokensQuerySchema } from "../auth/api-tokens";
import { changePasswordSchema } from "../account/schemas";
import { PLATFORM_VERSION } from "../platform";
import { ERROR_STATUS, type ErrorCode } from "../errors";

type Method = "get" | "post" | "put" | "patch" | "delete";

type Operation = {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  /** The route's JSON body schema, as the server parses it. */
  body?: z.ZodType;
  /** A non-JSON body: its media type and what it holds. */
  rawBody?: { mediaType: string; description: string };
  query?: z.ZodObject;
  /** The successful answers: status → description and media type (JSON unless said). */
  responses: Record<number, string | { description: string; mediaType: string | null }>;
  /** Errors this operation answers besides 400/401/403 (404, 409, 422…). */
  errors?: number[];
  /** False for the few routes that need no token. */
  auth?: boolean;
};

const id = z.string().min(1).meta({ description: "The entity's id." });

/** The one error shape of the API (server/http/api-route.ts errorResponse). */
const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input: the message names each field.",
  401: "No valid token (send `Authorization: Bearer <token>`).",
  403: "Your role may not do this.",
  404: "Not found.",
  409: "Conflict with the entity's state (or an expired lease).",
  413: "The body is larger than the limit (JSON_BODY_LIMIT_BYTES, 1 MB by default; imports IMPORT_LIMIT_BYTES); nothing was read past it.",
  415: "Wrong Content-Type: JSON bodies must be application/json (imports: application/x-ndjson or text/csv).",
  422: "An invalid import: every bad line with its number (nothing was imported).",
  503: "The database cannot be reached right now: retry after `Retry-After` seconds (the same idempotency key for a judgement).",
};

// Exports: the format is the path; filters and options are the query string.
const exportQuery = exportFiltersSchema.extend(exportOptionsSchema.shape);
const exportPreviewQuery = exportQuery.extend({ format: z.enum(EXPORT_FORMATS) });

const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "API",
    summary: "This description of API v1 (OpenAPI 3.1).",
    responses: { 200: "The OpenAPI document." },
    auth: false,
  },

  {
    method: "get",
    path: "/api/v1/batches",
    tag: "Batches",
    summary: "List batches with progress and active annotators (admins, researchers).",
    responses: { 200: "`{batches: [...]}`" },
  },
  {
    method: "post",
    path: "/api/v1/batches",
    tag: "Batches",
    summary: "Create a batch (admins).",
    body: createBatchSchema,
    responses: { 201: "`{id}`" },
  },
  {
    method: "get",
    path: "/api/v1/batches/{id}",
    tag: "Batches",
    summary: "A batch with its lists, guidelines, variants, imports and generation jobs.",
    responses: { 200: "The batch." },
    errors: [404],
  },
  {
    method: "patch",
    path: "/api/v1/batches/{id}",
    tag: "Batches",
    summary: "Rename a batch or change a safety batch's lists.",
    body: updateBatchSchema,
    responses: { 200: "`{id, name, riskCategories, attackVectors}`" },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/status",
    tag: "Batches",
    summary: "Activate, pause or close a batch.",
    body: setBatchStatusSchema,
    responses: { 200: "`{id, status}`" },
    errors: [404, 409],
  },
  {
    method: "put",
    path: "/api/v1/batches/{id}/guidelines",
    tag: "Batches",
    summary: "Save the guidelines as a new version.",
    body: saveGuidelinesSchema,
    responses: { 201: "A new version `{id, version, created: true}`.", 200: "The text was unchanged: the latest version, `created: false`." },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/v1/batches/{id}/items",
    tag: "Batches",
    summary: "Browse and search a batch's comparisons, 25 a page.",
    query: batchItemsQuerySchema,
    responses: { 200: "`{items, total, page, pages, pageSize}`" },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/items",
    tag: "Batches",
    summary: "Import comparisons or prompts (all or nothing; duplicates skipped and reported).",
    query: importQuerySchema,
    rawBody: {
      mediaType: "application/x-ndjson",
      description:
        "The file: JSON Lines as application/x-ndjson (or application/jsonl, application/octet-stream); for format=prompts-csv a CSV as text/csv. Each line at most IMPORT_LINE_LIMIT_BYTES (1 MB), the file at most IMPORT_LIMIT_BYTES (413).",
    },
    responses: { 200: "`{imported, errors, errorCount, skipped, skippedCount, lines}` (errors and skipped list 200 at most)" },
    errors: [404, 409, 413, 415, 422],
  },
  {
    method: "put",
    path: "/api/v1/batches/{id}/model-variants",
    tag: "Generation",
    summary: "Pick the model variants that answer a batch's prompts.",
    body: setBatchModelVariantsSchema,
    responses: { 200: "`{batchId, modelVariants}`" },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/generate",
    tag: "Generation",
    summary: "Sample the missing responses (a background job; the running one if any).",
    responses: { 202: "The job." },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/api/v1/batches/{id}/generation",
    tag: "Generation",
    summary: "Generation progress and failed items.",
    responses: { 200: "`{comparisons, lackingResponses, modelVariants, job}`" },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/batches/{id}/generation/retry",
    tag: "Generation",
    summary: "Sample the failed items again, with the same draw.",
    responses: { 202: "The job." },
    errors: [404, 409],
  },

  {
    method: "post",
    path: "/api/v1/tasks/claim",
    tag: "Annotation",
    summary: "Claim the next task (a lease).",
    body: claimTaskSchema,
    responses: { 200: "The task, blind: no model names.", 204: { description: "Nothing left to judge.", mediaType: null } },
  },
  {
    method: "post",
    path: "/api/v1/tasks/skip",
    tag: "Annotation",
    summary: "Skip a claimed task with a reason.",
    body: skipTaskSchema,
    responses: { 200: "`{assignmentId, status}`" },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/judgements",
    tag: "Annotation",
    summary: "Submit a judgement (idempotent per key); with `next=1`, also claim the next task.",
    body: submitJudgementSchema,
    query: submitJudgementQuerySchema,
    responses: { 200: "The judgement (the same one again for a repeated key); with `next=1`, `{judgement, next}` (next: the task, or null)." },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/judgements/{id}/revise",
    tag: "Annotation",
    summary: "Correct your own judgement (undo) within a minute of submitting it; idempotent per key.",
    body: reviseJudgementSchema.omit({ judgementId: true }),
    responses: { 200: "The judgement as corrected (the same id)." },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/dialogues",
    tag: "Annotation",
    summary: "Write a prompt: the first turn of a dialogue (annotators).",
    body: startDialogueSchema,
    responses: { 201: "`{dialogueId, comparisonId, turnIndex, maxTurns, lastTurn}`" },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/api/v1/dialogues/{id}",
    tag: "Annotation",
    summary: "A dialogue with its turns.",
    responses: { 200: "`{id, batchId, maxTurns, endedAt, turns}`" },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/dialogues/{id}/turns",
    tag: "Annotation",
    summary: "Write the next turn of a dialogue.",
    body: startNextTurnSchema,
    responses: { 201: "`{dialogueId, comparisonId, turnIndex, maxTurns, lastTurn}`" },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/dialogues/{id}/end",
    tag: "Annotation",
    summary: "End a dialogue.",
    responses: { 200: "`{dialogueId, endedAt, turns}`" },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/v1/comparisons/{id}/stream",
    tag: "Annotation",
    summary: "Stream both responses of a written turn as they are sampled.",
    responses: {
      200: {
        description: "NDJSON events: `{side, delta}`…, `{side, done, responseId, content}` or `{side, error}`, then `{ready, assignmentId}`.",
        mediaType: "application/x-ndjson",
      },
    },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/comparisons/{id}/retry",
    tag: "Annotation",
    summary: "Sample a failed column again (same variant, temperature and seed).",
    body: retrySideSchema,
    responses: { 200: { description: "NDJSON events, as for the stream, for that column.", mediaType: "application/x-ndjson" } },
    errors: [404, 409],
  },

  {
    method: "get",
    path: "/api/v1/exports/{format}",
    tag: "Datasets",
    summary: "Download an export, streamed: JSON Lines, or for `arena` FastChat's clean-battle JSON array (gzip with gzip=1).",
    query: exportQuery,
    responses: { 200: { description: "The file.", mediaType: "application/x-ndjson" } },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/v1/exports/preview",
    tag: "Datasets",
    summary: "Counts and Table 6 statistics of an export before downloading it.",
    query: exportPreviewQuery,
    responses: { 200: "`{judgements, filename, limit, stats, sample}`" },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/datasets",
    tag: "Datasets",
    summary: "Save a dataset (filters, options, cutoff); with `Accept: application/x-ndjson`, progress events then the result.",
    body: createDatasetSchema,
    responses: {
      201: "`{id, manifest}`",
      200: { description: "With `Accept: application/x-ndjson`: progress events, then `saved` or `error`.", mediaType: "application/x-ndjson" },
    },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    tag: "Datasets",
    summary: "Saved datasets, newest first.",
    responses: { 200: "`{datasets: [{id, name, format, cutoff, rows}]}`" },
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/manifest",
    tag: "Datasets",
    summary: "A saved dataset's manifest.",
    responses: { 200: "The manifest." },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/download",
    tag: "Datasets",
    summary: "A saved dataset's file, the same bytes every time: the format's file, or the Hugging Face bundle (.tar.gz).",
    query: downloadDatasetSchema,
    responses: {
      200: {
        description:
          "The file; `x-content-sha256` for the single file. Checked against the manifest as it streams: bytes that differ end the download before its last chunk (an incomplete file), never served whole.",
        mediaType: "application/octet-stream",
      },
    },
    errors: [404, 409],
  },

  {
    method: "get",
    path: "/api/v1/model-variants",
    tag: "Generation",
    summary: "Model variants (admins, researchers).",
    responses: { 200: "`{modelVariants}`" },
  },
  {
    method: "post",
    path: "/api/v1/model-variants",
    tag: "Generation",
    summary: "Register an OpenAI-compatible endpoint as a variant.",
    body: createModelVariantSchema,
    responses: { 201: "The variant (`apiKeySet`, never the key)." },
    errors: [409],
  },
  { method: "get", path: "/api/v1/model-variants/{id}", tag: "Generation", summary: "A variant.", responses: { 200: "The variant." }, errors: [404] },
  {
    method: "patch",
    path: "/api/v1/model-variants/{id}",
    tag: "Generation",
    summary: "Change a variant; null clears an optional field.",
    body: updateModelVariantSchema,
    responses: { 200: "The variant." },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/api/v1/model-variants/{id}/test",
    tag: "Generation",
    summary: "Test a variant's connection.",
    responses: { 200: "`{ok: true, latencyMs, model}` or `{ok: false, error}`" },
    errors: [404],
  },

  { method: "get", path: "/api/v1/users", tag: "People", summary: "Users (admins).", responses: { 200: "`{users}`" } },
  {
    method: "post",
    path: "/api/v1/users",
    tag: "People",
    summary: "Create a user; without a password one is generated and shown once.",
    body: createUserSchema,
    responses: { 201: "`{id, email, generatedPassword?}`" },
    errors: [409],
  },
  { method: "get", path: "/api/v1/users/{id}", tag: "People", summary: "A user.", responses: { 200: "The user." }, errors: [404] },
  {
    method: "patch",
    path: "/api/v1/users/{id}",
    tag: "People",
    summary: "Change a user's role, vendor or active flag.",
    body: updateUserSchema,
    responses: { 200: "The user." },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    tag: "Account",
    summary: "Your API tokens (admins: `userId` names anyone, `*` everyone): name, prefix, created, last used, revoked.",
    query: listApiTokensQuerySchema,
    responses: { 200: "`{tokens: [{id, userId, userEmail, name, prefix, createdAt, lastUsedAt, revokedAt}]}`" },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    tag: "Account",
    summary: "Create an API token (for yourself; admins for anyone with `userId`). The token is in this answer only.",
    body: createApiTokenSchema,
    responses: { 201: "`{id, token, name, prefix, …}`" },
    errors: [404, 409],
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    tag: "Account",
    summary: "Revoke a token of yours (admins: anyone's). Audited.",
    responses: { 200: "The token, with `revokedAt`." },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/account/password",
    tag: "Account",
    summary: "Change your password (the current one required); every session of yours ends.",
    body: changePasswordSchema,
    responses: { 200: "`{changed: true}`" },
  },
  { method: "get", path: "/api/v1/vendors", tag: "People", summary: "Vendors with their users (admins).", responses: { 200: "`{vendors}`" } },
  {
    method: "post",
    path: "/api/v1/vendors",
    tag: "People",
    summary: "Create a vendor.",
    body: vendorSchema,
    responses: { 201: "`{id, name}`" },
    errors: [409],
  },
  {
    method: "patch",
    path: "/api/v1/vendors/{id}",
    tag: "People",
    summary: "Rename a vendor.",
    body: vendorSchema,
    responses: { 200: "`{id, name}`" },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/api/v1/insights",
    tag: "Insights",
    summary:
      "Every figure of the dashboards (admins, researchers): throughput per day, degrees per batch, safety bins against Llama 2's shares, data checks per annotator and vendor with flags in words, agreement (raw, Krippendorff's alpha) and the Bradley–Terry leaderboard with bootstrap 95% intervals.",
    query: insightsFilterSchema,
    responses: { 200: "`{filter, totals, throughput, degrees, safetyBins, annotators, vendors, agreement, leaderboard}`" },
  },
  {
    method: "get",
    path: "/api/v1/audit",
    tag: "People",
    summary: "The audit log, newest first, 50 a page (admins).",
    query: auditFilterSchema,
    responses: { 200: "`{entries, total, page, pages}`" },
  },
];

/** Every described route as "METHOD /path" (the test compares them with app/api/v1). */
export function describedRoutes(): string[] {
  return OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.path}`);
}

function pathParams(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return undefined;
  return z.object(
    Object.fromEntries(names.map((name) => [name, name === "format" ? z.enum(EXPORT_FORMATS).meta({ description: "The export format." }) : id])),
  );
}

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | null = null;

export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API token: `npm run token:create -- --email E`. The session cookie of the app works too.",
  });
  for (const op of OPERATIONS) {
    const bodyErrors = op.body || op.rawBody ? [413, 415] : [];
    const errors = [...(op.auth === false ? [] : [400, 401, 403]), ...(op.errors ?? []), ...bodyErrors, 503].filter(
      (status, i, all) => all.indexOf(status) === i,
    );
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(op.responses)) {
      const { description, mediaType } = typeof answer === "string" ? { description: answer, mediaType: "application/json" } : answer;
      responses[status] =
        mediaType === null
          ? { description }
          : { description, content: { [mediaType]: { schema: mediaType === "application/json" ? z.unknown() : z.string() } } };
    }
    for (const status of errors)
      responses[status] = { description: ERROR_DESCRIPTIONS[status], content: { "application/json": { schema: errorSchema } } };
    registry.registerPath({
      method: op.method,
      path: op.path,
      tags: [op.tag],
      summary: op.summary,
      security: op.auth === false ? [] : [{ bearer: [] }],
      request: {
        params: pathParams(op.path),
        query: op.query,
        body: op.body
          ? { required: true, content: { "application/json": { schema: op.body } } }
          : op.rawBody
            ? { required: true, description: op.rawBody.description, content: { [op.rawBody.mediaType]: { schema: z.string() } } }
            : undefined,
      },
      responses: responses as Parameters<OpenAPIRegistry["registerPath"]>[0]["responses"],
    });
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Pairwise API",
      version: PLATFORM_VERSION,
      description:
        "Collect human preference data (the Llama 2 protocol) and export reward-model datasets. Errors are `{error: {code, message}}` with the matching status. Request bodies and query strings are described from the zod schemas the server validates them with.",
    },
    servers: [{ url: "/" }],
  });
  return cached;
}
