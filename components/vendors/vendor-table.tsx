"use client";
// Vendors with how many users each has; renamed in place. Exports name vendors, so a rename shows there too.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import type { VendorView } from "@/server/vendors/queries";
import { formatUtcMinute } from "@/lib/format-time";
import { Button } from "@/components/ui/button";
import { DataTable, EmptyState, type Column } from "@/components/ui/table";

const VENDOR_COLUMNS: Column[] = [
  { label: "Vendor" },
  { label: "Users", align: "right" },
  { label: "Active users", align: "right" },
  { label: "Created" },
  { label: <span className="sr-only">Actions</span> },
];

type Rename = (vendorId: string, input: unknown) => Promise<ActionResult<unknown>>;

export function VendorTable({ vendors, rename }: { vendors: VendorView[]; rename: Rename }) {
  if (vendors.length === 0) {
    return <EmptyState>No vendors yet. Create one above, then put annotators in it on the People page.</EmptyState>;
  }
  return (
    <DataTable columns={VENDOR_COLUMNS} testId="vendor-table">
      {vendors.map((vendor) => (
        <VendorRow key={vendor.id} vendor={vendor} rename={rename} />
      ))}
    </DataTable>
  );
}

function VendorRow({ vendor, rename }: { vendor: VendorView; rename: Rename }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(vendor.name);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function save(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await rename(vendor.id, { name });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setEditing(false);
      router.refresh();
    });
  }
  return (
    <tr className="border-b border-stone-100 last:border-0" data-testid={`vendor-${vendor.name}`}>
      <td className="px-3 py-2.5">
        {editing ? (
          <form onSubmit={save} className="flex flex-wrap items-center gap-2">
            <input
              value={name}
              onChange={(event) => setName(event.target.value)}
              aria-label={`New name for ${vendor.name}`}
              required
              maxLength={200}
              autoFocus
              className="rounded-md border border-stone-300 px-2 py-1 text-sm"
            />
            <Button type="submit" variant="primary" disabled={pending}>
              Save
            </Button>
            <Button
              variant="quiet"
              onClick={() => {
                setEditing(false);
                setName(vendor.name);
                setError(null);
              }}
            >
              Cancel
            </Button>
          </form>
        ) : (
          <span className="font-medium text-stone-900">{vendor.name}</span>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        )}
      </td>
      <td className="px-3 py-2.5 text-right tabular-nums">{vendor.users}</td>
      <td className="px-3 py-2.5 text-right tabular-nums">{vendor.activeUsers}</td>
      <td className="px-3 py-2.5 text-stone-600">{formatUtcMinute(vendor.createdAt)}</td>
      <td className="px-3 py-2.5 text-right">
        {!editing && (
          <Button variant="quiet" onClick={() => setEditing(true)}>
            Rename
          </Button>
        )}
      </td>
    </tr>
  );
}
