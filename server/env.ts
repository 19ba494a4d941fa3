// The one reader of process.env for the app: validated once, lazily, so `next build` needs no secrets.
import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // "true" when every connection shares one session underneath (the embedded PGlite of npm start): named prepared
  // statements would then collide between connections, so the hot path sends its statements unnamed.
  DATABASE_SINGLE_SESSION: z.enum(["true", "false"]).default("false"),
  // Signs sessions: the app needs it, command-line tools that sign nothing do not (checked where it is used).
  NEXTAUTH_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
  // The key of annotator pseudonyms in exports. Unset (an empty value, e.g. from docker-compose defaults, means
  // unset), the platform generates one and keeps it in the database (server/exports/pseudonym-secret.ts).
  PSEUDONYM_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // The app's public URL: state-changing requests made with the session cookie must come from its origin, and
  // redirects are parsed against it. Unset (next dev), the request's own host stands in.
  APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  NEXTAUTH_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  // Request bodies: JSON above this answers 413 before it is read whole; imports stream under their own limits.
  JSON_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  IMPORT_LINE_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  IMPORT_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  // Optional: the only hosts model endpoints may have (comma-separated; "*.example.org" allows its subdomains).
  MODEL_ENDPOINT_HOSTS: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  // How often a generation worker renews its job's heartbeat; a job silent for 1.5 beats is taken over by any live
  // server, which looks every half beat. Tests shorten it.
  GENERATION_HEARTBEAT_MS: z.coerce.number().int().min(200).max(60_000).default(5_000),
});

export type Env = z.infer<typeof envSchema> & { appOrigin: string | null };

let parsed: Env | undefined;

export function getEnv(): Env {
  if (parsed) return parsed;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}. See .env.example.`);
  }
  const appUrl = result.data.APP_URL ?? result.data.NEXTAUTH_URL;
  parsed = { ...result.data, appOrigin: appUrl ? new URL(appUrl).origin : null };
  return parsed;
}

/** Forgets the parsed environment: the next read sees process.env again (tests that change a secret). */
export function reloadEnv(): void {
  parsed = undefined;
}

/**
 * The pseudonym key of datasets saved before each kept its own: PSEUDONYM_SECRET, or else the session secret's
 * derivative that was used then. Only for downloading those; nothing new is made with it, and the digest check of
 * every download refuses their bytes if the secret behind it changed since.
 */
export function legacyPseudonymSecret(): string | null {
  const env = getEnv();
  if (env.PSEUDONYM_SECRET) return env.PSEUDONYM_SECRET;
  return env.NEXTAUTH_SECRET ? `pseudonym:${env.NEXTAUTH_SECRET}` : null;
}

/** The secret that signs sessions, or a clear error where one is needed and none is set. */
export function sessionSecret(): string {
  const secret = getEnv().NEXTAUTH_SECRET;
  if (!secret) throw new Error("Invalid environment: NEXTAUTH_SECRET is not set (sessions cannot be signed). See .env.example.");
  return secret;
}

/**
 * The environment variables a model variant may name as its key: only those the operator made for the purpose,
 * with this prefix. Nothing else of the process environment (the app's secrets, PATH, HOME …) can be sent away.
 */
export const MODEL_KEY_PREFIX = "PAIRWISE_MODEL_KEY_";
export const API_KEY_ENV_NAME = /^PAIRWISE_MODEL_KEY_[A-Z0-9_]+$/;

/**
 * The API key of a model variant, read from the environment variable it names (the database holds only the
 * name). Undefined when unset, empty, or not a model key variable. Callers pass it to the endpoint and nowhere else.
 */
export function readApiKey(envName: string | null | undefined): string | undefined {
  if (!envName || !API_KEY_ENV_NAME.test(envName)) return undefined;
  const value = process.env[envName];
  return value === undefined || value === "" ? undefined : value;
}

/** The hosts model endpoints may use, lower-cased, or null when the operator set no list (any host). */
export function modelEndpointHosts(): string[] | null {
  const raw = process.env.MODEL_ENDPOINT_HOSTS;
  if (raw === undefined || raw.trim() === "") return null;
  return raw
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
}
