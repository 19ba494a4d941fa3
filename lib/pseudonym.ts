// Pseudonymous annotator ids for exports: never an email or a name (exports.md).
import { createHmac } from "node:crypto";

export function pseudonymiseAnnotator(secret: string, userId: string): string {
  return "ann_" + createHmac("sha256", secret).update(userId).digest("hex").slice(0, 16);
}
