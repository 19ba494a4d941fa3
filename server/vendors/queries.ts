// Reads of vendors for the Vendors and People pages and the API.
import { db } from "../db";
import { requirePermission, type Actor } from "../auth/permissions";

export type VendorView = { id: string; name: string; users: number; activeUsers: number; createdAt: string };

export async function listVendors(actor: Actor): Promise<VendorView[]> {
  requirePermission(actor, "users.read");
  const vendors = await db.vendor.findMany({ orderBy: { name: "asc" } });
  const counts = await db.user.groupBy({ by: ["vendorId", "active"], where: { vendorId: { not: null } }, _count: { _all: true } });
  const count = (vendorId: string, active?: boolean) =>
    counts.filter((c) => c.vendorId === vendorId && (active === undefined || c.active === active)).reduce((n, c) => n + c._count._all, 0);
  return vendors.map((v) => ({ id: v.id, name: v.name, users: count(v.id), activeUsers: count(v.id, true), createdAt: v.createdAt.toISOString() }));
}
