"use client";
// Every user: role and vendor, deactivate / reactivate. A role change and a deactivation are asked before they
// happen and confirmed after (one slip must not make someone an admin). A deactivated user cannot sign in and
// their API tokens stop working; nothing they did is deleted.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import type { UserView } from "@/server/users/queries";
import { ROLES, type Role } from "@/lib/protocol";
import { formatUtcMinute } from "@/lib/format-time";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/field";
import { DataTable, Td, Tr } from "@/components/ui/table";

type Update = (userId: string, input: unknown) => Promise<ActionResult<UserView>>;

const ROLE_POWERS: Record<Role, string> = {
  annotator: "judges comparisons and writes prompts",
  researcher: "reads batches and exports datasets",
  admin: "runs batches, people, vendors and model endpoints, and reads the audit log",
};

const COLUMNS = [
  { label: "User" },
  { label: "Role" },
  { label: "Vendor" },
  { label: "Status" },
  { label: "Last judgement" },
  { label: <span className="sr-only">Actions</span> },
];

export function UserTable({ users, vendors, selfId, update }: { users: UserView[]; vendors: string[]; selfId: string; update: Update }) {
  return (
    <DataTable columns={COLUMNS} label="People">
      {users.map((user) => (
        <UserRow key={user.id} user={user} vendors={vendors} self={user.id === selfId} update={update} />
      ))}
    </DataTable>
  );
}

type Asking = { title: string; body: string; confirm: string; input: Record<string, unknown>; done: string } | null;

function UserRow({ user, vendors, self, update }: { user: UserView; vendors: string[]; self: boolean; update: Update }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking>(null);
  const change = (input: Record<string, unknown>, confirmation: string) =>
    startTransition(async () => {
      const result = await update(user.id, input);
      setError(result.ok ? null : result.error.message);
      setDone(result.ok ? confirmation : null);
      router.refresh();
    });
  return (
    <Tr className={user.active ? "" : "bg-stone-50 text-stone-600"} data-testid={`user-${user.email}`}>
      <Td>
        <div className={`font-medium ${user.active ? "text-stone-900" : "text-stone-700"}`}>{user.email}</div>
        <div className="text-xs text-stone-600">
          {user.name}
          {self && " · you"}
        </div>
      </Td>
      <Td>
        <Select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={pending || self}
          title={self ? "Another admin must change your role." : undefined}
          className="!w-auto"
          onChange={(event) => {
            const role = event.target.value as Role;
            setAsking({
              title: `Make ${user.email} ${role === "admin" ? "an" : "a"} ${role}?`,
              body: `A ${role} ${ROLE_POWERS[role]}. The change applies from their next page.`,
              confirm: `Make ${role}`,
              input: { role },
              done: `Role changed to ${role}.`,
            });
          }}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </Select>
      </Td>
      <Td>
        <Select
          aria-label={`Vendor of ${user.email}`}
          value={user.vendor ?? ""}
          disabled={pending}
          className="!w-auto"
          onChange={(event) =>
            change({ vendor: event.target.value || null }, event.target.value ? `Vendor changed to ${event.target.value}.` : "No vendor now.")
          }
        >
          <option value="">No vendor</option>
          {vendors.map((vendor) => (
            <option key={vendor} value={vendor}>
              {vendor}
            </option>
          ))}
        </Select>
      </Td>
      <Td data-testid="user-status">
        {user.active ? (
          <span className="rounded-full bg-teal-50 px-2 py-0.5 text-xs text-teal-900">Active</span>
        ) : (
          <span className="rounded-full bg-stone-200 px-2 py-0.5 text-xs text-stone-800">Deactivated</span>
        )}
      </Td>
      <Td className="whitespace-nowrap text-stone-700">{user.lastJudgementAt ? formatUtcMinute(user.lastJudgementAt) : "—"}</Td>
      <Td align="right">
        {user.active ? (
          !self && (
            <Button
              variant="danger"
              disabled={pending}
              onClick={() =>
                setAsking({
                  title: `Deactivate ${user.email}?`,
                  body: "They are signed out at once and their API tokens stop working; their judgements stay. You can reactivate them later.",
                  confirm: "Deactivate",
                  input: { active: false },
                  done: "Deactivated.",
                })
              }
            >
              Deactivate
            </Button>
          )
        ) : (
          <Button
            disabled={pending}
            onClick={() => change({ active: true }, "Reactivated: they can sign in again (old sessions and tokens stay ended).")}
          >
            Reactivate
          </Button>
        )}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {error}
          </p>
        )}
        {done && !error && (
          <p role="status" className="mt-1 text-xs text-teal-800" data-testid="user-saved">
            {done}
          </p>
        )}
        {asking && (
          <Dialog title={asking.title} onClose={() => setAsking(null)} testId="confirm-user-change">
            <p>{asking.body}</p>
            <div className="mt-4 flex justify-end gap-2">
              <Button onClick={() => setAsking(null)} data-autofocus>
                Cancel
              </Button>
              <Button
                variant={asking.input.active === false ? "danger" : "primary"}
                onClick={() => {
                  change(asking.input, asking.done);
                  setAsking(null);
                }}
              >
                {asking.confirm}
              </Button>
            </div>
          </Dialog>
        )}
      </Td>
    </Tr>
  );
}
