import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/options";
import { refuseThrottledSignIn } from "@/server/auth/sign-in-route";

function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions())(request, context);
}

// A throttled sign-in answers 429 with Retry-After before next-auth reads the password.
async function post(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return (await refuseThrottledSignIn(request, (await context.params).nextauth)) ?? handler(request, context);
}

export { handler as GET, post as POST };
