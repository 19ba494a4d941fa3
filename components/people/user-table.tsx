"use client";
// Every user: role and vendor changed in place, deactivate / reactivate. A deactivated user cannot sign in and
// their API tokens stop working; nothing they did is deleted.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import type { UserView } from "@/server/users/queries";
import { ROLES } from "@/lib/protocol";
import { formatUtcMinute } from "@/lib/format-time";
import { Button } from "@/components/ui/button";

type Update = (userId: string, input: unknown) => Promise<ActionResult<UserView>>;

export function UserTable({ users, vendors, selfId, update }: { users: UserView[]; vendors: string[]; selfId: string; update: Update }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full border-collapse text-sm">
        <thead>
          <tr className="border-b border-stone-200 text-left text-xs uppercase tracking-wide text-stone-500">
            <th className="px-3 py-2 font-medium">User</th>
            <th className="px-3 py-2 font-medium">Role</th>
            <th className="px-3 py-2 font-medium">Vendor</th>
            <th className="px-3 py-2 font-medium">Status</th>
            <th className="px-3 py-2 font-medium">Last judgement</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <UserRow key={user.id} user={user} vendors={vendors} self={user.id === selfId} update={update} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({ user, vendors, self, update }: { user: UserView; vendors: string[]; self: boolean; update: Update }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const change = (input: Record<string, unknown>) =>
    startTransition(async () => {
      const result = await update(user.id, input);
      setError(result.ok ? null : result.error.message);
      router.refresh();
    });
  const select = "rounded-md border border-stone-300 bg-white px-2 py-1 text-sm disabled:text-stone-400";
  return (
    <tr className={`border-b border-stone-100 last:border-0 ${user.active ? "" : "bg-stone-50 text-stone-500"}`} data-testid={`user-${user.email}`}>
      <td className="px-3 py-2.5">
        <div className={`font-medium ${user.active ? "text-stone-900" : "text-stone-500"}`}>{user.email}</div>
        <div className="text-xs text-stone-500">
          {user.name}
          {self && " · you"}
        </div>
      </td>
      <td className="px-3 py-2.5">
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={pending || self}
          title={self ? "Another admin must change your role." : undefined}
          onChange={(event) => change({ role: event.target.value })}
          className={select}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2.5">
        <select aria-label={`Vendor of ${user.email}`} value={user.vendor ?? ""} disabled={pending} onChange={(event) => change({ vendor: event.target.value || null })} className={select}>
          <option value="">No vendor</option>
          {vendors.map((vendor) => (
            <option key={vendor} value={vendor}>
              {vendor}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2.5" data-testid="user-status">
        {user.active ? <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs text-teal-800">Active</span> : <span className="rounded-full bg-stone-200 px-2 py-0.5 text-xs text-stone-600">Deactivated</span>}
      </td>
      <td className="px-3 py-2.5 text-stone-600">{user.lastJudgementAt ? formatUtcMinute(user.lastJudgementAt) : "—"}</td>
      <td className="px-3 py-2.5 text-right">
        {user.active ? (
          !self && (
            <Button
              variant="danger"
              disabled={pending}
              onClick={() => {
                if (window.confirm(`Deactivate ${user.email}? They are signed out and their API tokens stop working; their judgements stay.`)) change({ active: false });
              }}
            >
              Deactivate
            </Button>
          )
        ) : (
          <Button disabled={pending} onClick={() => change({ active: true })}>
            Reactivate
          </Button>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
