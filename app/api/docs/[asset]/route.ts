import { docsAsset } from "@/server/http/api-docs";

export async function GET(_request: Request, context: { params: Promise<{ asset: string }> }) {
  const asset = await docsAsset((await context.params).asset);
  if (!asset) return new Response("Not found", { status: 404 });
  return new Response(asset.body, {
    headers: { "content-type": asset.type, "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" },
  });
}
