// Browsing the audit log: every admin action with who, what, when, entity and before/after, filtered and paged.
import { db } from "../db";
import { parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import type { Prisma } from "../generated/prisma/client";
import { auditFilterSchema } from "./schemas";

export const AUDIT_PAGE_SIZE = 50;

export type AuditEntryView = {
  id: string;
  createdAt: string;
  actor: { id: string; email: string; name: string } | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

export type AuditPage = { entries: AuditEntryView[]; total: number; page: number; pageSize: number; pages: number };

/** `input` is the query string as an object: {action?, actor?, entityType?, entityId?, from?, to?, page?}. */
export async function listAuditEntries(actor: Actor, input: unknown = {}): Promise<AuditPage> {
  requirePermission(actor, "audit.read");
  const filter = parseInput(auditFilterSchema, input ?? {});
  const where: Prisma.AuditEntryWhereInput = {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.actor ? { OR: [{ actorId: filter.actor }, { actor: { email: filter.actor.toLowerCase() } }] } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  const total = await db.auditEntry.count({ where });
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * AUDIT_PAGE_SIZE,
    take: AUDIT_PAGE_SIZE,
    include: { actor: { select: { id: true, email: true, name: true } } },
  });
  return {
    entries: rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      actor: row.actor,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      before: row.before,
      after: row.after,
    })),
    total,
    page,
    pageSize: AUDIT_PAGE_SIZE,
    pages,
  };
}

/** What the filters can choose from: the actions and entity types recorded so far, and who acted. */
export async function listAuditFacets(actor: Actor): Promise<{ actions: string[]; entityTypes: string[]; actors: { id: string; email: string }[] }> {
  requirePermission(actor, "audit.read");
  const [actions, entityTypes, actors] = await Promise.all([
    db.auditEntry.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
    db.auditEntry.groupBy({ by: ["entityType"], orderBy: { entityType: "asc" } }),
    db.user.findMany({ where: { auditEntries: { some: {} } }, select: { id: true, email: true }, orderBy: { email: "asc" } }),
  ]);
  return { actions: actions.map((a) => a.action), entityTypes: entityTypes.map((e) => e.entityType), actors };
}
