import { apiRoute, streamDownload } from "@/server/http/api-route";
import { prepareExport } from "@/server/exports/prepare-export";
import { encodeLines } from "@/server/exports/encode-lines";
import { searchParamsToInput } from "@/server/exports/schemas";
import { formatExtension } from "@/lib/export-formats";

export const GET = apiRoute<{ format: string }>(async ({ request, actor, params }) => {
  const input = { ...searchParamsToInput(new URL(request.url).searchParams), format: params.format };
  const prepared = await prepareExport(actor, input);
  const gzip = prepared.options.gzip === true;
  return streamDownload(
    encodeLines(prepared.lineBatches(), { gzip }),
    prepared.filename,
    gzip
      ? "application/gzip"
      : formatExtension(prepared.format) === "json"
        ? "application/json; charset=utf-8"
        : "application/x-ndjson; charset=utf-8",
  );
});
