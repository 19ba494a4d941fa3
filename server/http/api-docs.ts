// The readable reference of API v1 at /api/docs: Swagger UI (swagger-ui-dist, from npm) over /api/v1/openapi.json.
// Everything it loads is served from here (no other host), it runs no inline script or style (its start-up is a
// file, docs.js below), and the page sends a strict Content-Security-Policy of its own to prove it.
import { readFile } from "node:fs/promises";
import path from "node:path";

/** The page's policy: only this origin; images may be data: URIs (Swagger UI's icons are inlined in its CSS). */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const START = `// Starts Swagger UI on the description of API v1 (a file, so the page needs no inline script).
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    // The badge would ask a validator on another host.
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
`;

/** The files the page may load: Swagger UI's own two, and the start-up script. */
const ASSETS: Record<string, { type: string; file?: string; text?: string }> = {
  "swagger-ui-bundle.js": { type: "text/javascript; charset=utf-8", file: "swagger-ui-bundle.js" },
  "swagger-ui.css": { type: "text/css; charset=utf-8", file: "swagger-ui.css" },
  "docs.js": { type: "text/javascript; charset=utf-8", text: START },
};

export function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pairwise API v1 reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;
}

/** One of the page's files, or null for any other name. */
export async function docsAsset(name: string): Promise<{ body: string | Uint8Array<ArrayBuffer>; type: string } | null> {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return null;
  if (asset.text !== undefined) return { body: asset.text, type: asset.type };
  // Served from the installed package (npm start runs from the project's root, as does the Dockerfile).
  return { body: new Uint8Array(await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", asset.file!))), type: asset.type };
}
