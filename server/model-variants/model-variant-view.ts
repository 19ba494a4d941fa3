// What callers and the audit log see of a model variant: its settings and whether its key variable is set,
// never the key (the database never holds it; readApiKey is read only where the endpoint is called).
import type { ModelVariant } from "../generated/prisma/client";
import { readApiKey } from "../env";
import type { DefaultSampling } from "./schemas";

export type ModelVariantView = {
  id: string;
  name: string;
  version: string;
  baseUrl: string | null;
  modelId: string | null;
  apiKeyEnv: string | null;
  /** Whether the variable apiKeyEnv names is set on this server; the key itself is never returned. */
  apiKeySet: boolean;
  defaultSampling: DefaultSampling;
  temperatureMin: number | null;
  temperatureMax: number | null;
  maxConcurrency: number;
  timeoutMs: number;
  active: boolean;
  /** It has an endpoint and can be sampled live (imported variants only name a model). */
  live: boolean;
  createdAt: string;
  updatedAt: string;
};

/** The stored settings, as audit entries record them before and after a change. */
export function modelVariantSettings(row: ModelVariant) {
  return {
    name: row.name,
    version: row.version,
    baseUrl: row.baseUrl,
    modelId: row.modelId,
    apiKeyEnv: row.apiKeyEnv,
    defaultSampling: row.defaultSampling as DefaultSampling,
    temperatureMin: row.temperatureMin,
    temperatureMax: row.temperatureMax,
    maxConcurrency: row.maxConcurrency,
    timeoutMs: row.timeoutMs,
    active: row.active,
  };
}

export function toModelVariantView(row: ModelVariant): ModelVariantView {
  return {
    id: row.id,
    ...modelVariantSettings(row),
    apiKeySet: readApiKey(row.apiKeyEnv) !== undefined,
    live: row.baseUrl !== null && row.modelId !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
