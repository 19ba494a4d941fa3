// The operator's optional list of hosts model endpoints may use (MODEL_ENDPOINT_HOSTS): checked when a variant is
// saved and again before every call, so narrowing the list takes effect without editing variants.
import { modelEndpointHosts } from "../env";

function hostMatches(host: string, allowed: string): boolean {
  if (allowed.startsWith("*.")) return host.endsWith(allowed.slice(1));
  return host === allowed;
}

/** Why `url` may not be called, or null when it may (no list set, or its host is on the list). */
export function endpointHostProblem(url: string): string | null {
  const allowed = modelEndpointHosts();
  if (!allowed) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, "");
  } catch {
    return "is not a valid URL";
  }
  if (allowed.some((entry) => hostMatches(host, entry))) return null;
  return `its host ${host} is not among the model endpoint hosts this server allows (MODEL_ENDPOINT_HOSTS: ${allowed.join(", ")})`;
}
