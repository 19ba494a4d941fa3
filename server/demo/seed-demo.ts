// Seeds a demo: an admin, a researcher, two annotators in two vendors, and an active helpfulness and
// safety batch imported from prisma/demo/ through the same import path users take. Runs once.
import { createReadStream, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { db } from "../db";
import { createUser } from "../users/create-user";
import { toActor } from "../auth/actor";
import { createBatch } from "../batches/create-batch";
import { importItems } from "../imports/import-items";
import { setBatchStatus } from "../batches/set-batch-status";

const DEMO_DIR = path.join(process.cwd(), "prisma", "demo");

export type DemoCredentials = { email: string; password: string; role: string }[];

const PEOPLE = [
  { email: "admin@pairwise.test", name: "Ada Admin", role: "admin" },
  { email: "researcher@pairwise.test", name: "Ravi Researcher", role: "researcher" },
  { email: "annotator1@pairwise.test", name: "Ana Annotator", role: "annotator", vendor: "Northwind Labeling" },
  { email: "annotator2@pairwise.test", name: "Ben Annotator", role: "annotator", vendor: "Harbor Annotation Co." },
] as const;

/** Returns the credentials it created, or null when the database already has users. */
export async function seedDemo(): Promise<DemoCredentials | null> {
  if ((await db.user.count()) > 0) return null;
  const credentials: DemoCredentials = [];
  for (const person of PEOPLE) {
    const password = randomBytes(9).toString("base64url");
    await createUser(null, { ...person, password });
    credentials.push({ email: person.email, password, role: person.role });
  }
  const admin = toActor(await db.user.findUniqueOrThrow({ where: { email: PEOPLE[0].email } }));

  const batches = [
    { name: "Demo · helpfulness", focus: "helpfulness", overlap: 2, file: "helpfulness" },
    { name: "Demo · safety", focus: "safety", overlap: 1, file: "safety" },
  ] as const;
  for (const spec of batches) {
    const guidelines = readFileSync(path.join(DEMO_DIR, `guidelines-${spec.file}.md`), "utf8");
    const { id } = await createBatch(admin, { name: spec.name, focus: spec.focus, overlap: spec.overlap, guidelines });
    const report = await importItems(admin, id, "pairwise", createReadStream(path.join(DEMO_DIR, `${spec.file}.jsonl`)));
    if (report.errorCount > 0) throw new Error(`demo ${spec.file}.jsonl is invalid: ${JSON.stringify(report.errors)}`);
    await setBatchStatus(admin, id, { status: "active" });
  }
  return credentials;
}

export function formatCredentials(credentials: DemoCredentials): string {
  const width = Math.max(...credentials.map((c) => c.email.length));
  return [
    "Demo accounts (shown once; create more with npm run user:create):",
    ...credentials.map((c) => `  ${c.role.padEnd(11)} ${c.email.padEnd(width)}  ${c.password}`),
  ].join("\n");
}
