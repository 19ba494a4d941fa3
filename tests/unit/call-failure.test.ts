// describeCallFailure names what failed from the SDK's error and its causes (issue 9: "Connection error." said nothing).
import { describe, expect, it } from "vitest";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { describeCallFailure } from "@/server/model-variants/call-failure";

function connectionError(code: string): APIConnectionError {
  const socket = Object.assign(new Error(`getaddrinfo ${code} host`), { code });
  return new APIConnectionError({ cause: Object.assign(new TypeError("fetch failed"), { cause: socket }) });
}

describe("describeCallFailure", () => {
  it("names DNS, refused, reset, TLS and timeouts", () => {
    expect(describeCallFailure(connectionError("ENOTFOUND"))).toMatch(/^DNS: /);
    expect(describeCallFailure(connectionError("EAI_AGAIN"))).toMatch(/^DNS: /);
    expect(describeCallFailure(connectionError("ECONNREFUSED"))).toMatch(/^connection refused/);
    expect(describeCallFailure(connectionError("ECONNRESET"))).toMatch(/^connection reset/);
    expect(describeCallFailure(connectionError("CERT_HAS_EXPIRED"))).toMatch(/^TLS: .*CERT_HAS_EXPIRED/);
    expect(describeCallFailure(connectionError("DEPTH_ZERO_SELF_SIGNED_CERT"))).toMatch(/^TLS: /);
    expect(describeCallFailure(connectionError("UND_ERR_CONNECT_TIMEOUT"))).toMatch(/^timeout: /);
    expect(describeCallFailure(new APIConnectionTimeoutError())).toMatch(/^timeout: /);
  });

  it("gives the HTTP status of an answer", () => {
    expect(describeCallFailure(APIError.generate(503, { error: { message: "overloaded" } }, undefined, new Headers()))).toMatch(/^HTTP 503/);
  });
});
