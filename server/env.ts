// The one reader of process.env for the app: validated once, lazily, so `next build` needs no secrets.
import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters"),
  // An empty value (e.g. from docker-compose defaults) means unset.
  PSEUDONYM_SECRET: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof envSchema> & { pseudonymSecret: string };

let parsed: Env | undefined;

export function getEnv(): Env {
  if (parsed) return parsed;
  const result = envSchema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}. See .env.example.`);
  }
  // Without a separate key, pseudonyms derive from the session secret: stable as long as it is.
  parsed = { ...result.data, pseudonymSecret: result.data.PSEUDONYM_SECRET ?? `pseudonym:${result.data.NEXTAUTH_SECRET}` };
  return parsed;
}

/** What the name of a model variant's API-key variable may look like. */
export const API_KEY_ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

// The app's own secrets: a model variant naming one of these would send it to its endpoint as a bearer key.
const APP_ENV_NAMES = new Set([...Object.keys(envSchema.shape), "NEXTAUTH_URL", "SHADOW_DATABASE_URL", "TEST_DATABASE_ADMIN_URL"]);

export function isAppEnvName(name: string): boolean {
  return APP_ENV_NAMES.has(name);
}

/**
 * The API key of a model variant, read from the environment variable it names (the database holds only the
 * name). Undefined when unset or empty. Callers pass it to the endpoint and nowhere else.
 */
export function readApiKey(envName: string | null | undefined): string | undefined {
  if (!envName || !API_KEY_ENV_NAME.test(envName) || isAppEnvName(envName)) return undefined;
  const value = process.env[envName];
  return value === undefined || value === "" ? undefined : value;
}
