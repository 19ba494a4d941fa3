// What changed between an audit entry's before and after, key by key, for a compact display.

export type AuditChange = {
  key: string;
  kind: "added" | "removed" | "changed" | "same";
  before?: unknown;
  after?: unknown;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Top-level keys of before/after: changed ones first (in the after's key order), then added, removed, and the
 * unchanged ones last (they identify the entity, e.g. a user's email). Non-objects compare as one value "".
 */
export function diffAuditValues(before: unknown, after: unknown): AuditChange[] {
  const b = before === null || before === undefined ? {} : isRecord(before) ? before : { "": before };
  const a = after === null || after === undefined ? {} : isRecord(after) ? after : { "": after };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const changes = keys.map((key): AuditChange => {
    const inBefore = key in b;
    const inAfter = key in a;
    if (!inBefore) return { key, kind: "added", after: a[key] };
    if (!inAfter) return { key, kind: "removed", before: b[key] };
    return JSON.stringify(b[key]) === JSON.stringify(a[key])
      ? { key, kind: "same", before: b[key], after: a[key] }
      : { key, kind: "changed", before: b[key], after: a[key] };
  });
  const rank = { changed: 0, added: 1, removed: 2, same: 3 } as const;
  return changes
    .map((change, index) => ({ change, index }))
    .sort((x, y) => rank[x.change.kind] - rank[y.change.kind] || x.index - y.index)
    .map((x) => x.change);
}

/** One value on one line: strings quoted only when needed, long values cut with an ellipsis. */
export function formatAuditValue(value: unknown, maxChars = 80): string {
  const text = typeof value === "string" ? value.replace(/\s+/g, " ") : value === undefined ? "—" : JSON.stringify(value);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
