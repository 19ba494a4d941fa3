// The sign-in endpoint's throttle, in front of next-auth: 429 with Retry-After while the account or the address
// must wait, in the JSON shape next-auth's client reads (its `url` carries the error the sign-in form shows).
import { AppError } from "../errors";
import { errorResponse } from "../http/api-route";
import { clientAddress, secondsToWait, throttleKeys } from "./sign-in-throttle";
import { THROTTLED_ERROR_PREFIX } from "./options";

export async function refuseThrottledSignIn(request: Request, segments: string[]): Promise<Response | null> {
  if (segments.join("/") !== "callback/credentials") return null;
  let email = "";
  try {
    const form = await request.clone().formData();
    email = String(form.get("email") ?? "");
  } catch {
    return null; // next-auth answers a malformed body itself
  }
  const wait = await secondsToWait(throttleKeys(email, clientAddress(request.headers)));
  if (wait <= 0) return null;
  const url = new URL("/sign-in", request.url);
  url.searchParams.set("error", `${THROTTLED_ERROR_PREFIX}${wait}`);
  return errorResponse(new AppError("too_many_requests", `Too many failed sign-ins. Try again in ${wait} s.`, { retryAfterSeconds: wait }), {
    url: url.toString(),
  });
}
