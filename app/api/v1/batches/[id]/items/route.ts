import { apiRoute, errorResponse } from "@/server/http/api-route";
import { importItems } from "@/server/imports/import-items";
import { importQuerySchema } from "@/server/imports/schemas";
import { AppError, parseInput } from "@/server/errors";
import { assertMediaType, limitedBody } from "@/server/http/request-guard";
import { getEnv } from "@/server/env";
import { requirePermission } from "@/server/auth/permissions";
import { listBatchItems } from "@/server/batches/queries";
import { batchItemsQuerySchema } from "@/server/batches/schemas";

export const GET = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  const { q, page } = parseInput(batchItemsQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await listBatchItems(actor, params.id, { q, page }));
});

export const POST = apiRoute<{ id: string }>(async ({ request, actor, params }) => {
  // The role first (importItems checks it again): a caller who may not import learns nothing about the body.
  requirePermission(actor, "items.import");
  if (!request.body) throw new AppError("invalid_input", "Send the file (JSONL; CSV for format=prompts-csv) as the request body.");
  const { format } = parseInput(importQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  if (format === "prompts-csv") assertMediaType(request, ["text/csv", "application/octet-stream"], "a CSV file");
  else
    assertMediaType(
      request,
      ["application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/octet-stream"],
      "a JSON Lines file",
    );
  // Streamed under the total limit; a client that leaves aborts the import and its transaction at once.
  const body = limitedBody(request, getEnv().IMPORT_LIMIT_BYTES, request.signal);
  const report = await importItems(actor, params.id, format, body);
  if (report.errorCount > 0) {
    const message = `${report.errorCount} invalid line${report.errorCount === 1 ? "" : "s"}; nothing was imported.`;
    return errorResponse(new AppError("invalid_import", message), report);
  }
  return Response.json(report);
});
