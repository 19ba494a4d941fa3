import { DOCS_CONTENT_SECURITY_POLICY, docsPage } from "@/server/http/api-docs";

// The API reference: public, like the description it renders.
export const GET = () =>
  new Response(docsPage(), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": DOCS_CONTENT_SECURITY_POLICY,
      "x-content-type-options": "nosniff",
    },
  });
