// Reads about people: vendor names for export filters.
import { db } from "../db";
import { requirePermission, type Actor } from "../auth/permissions";

export async function listVendorNames(actor: Actor): Promise<string[]> {
  requirePermission(actor, "exports.read");
  const vendors = await db.vendor.findMany({ orderBy: { name: "asc" }, select: { name: true } });
  return vendors.map((v) => v.name);
}
