// next-auth v4: email + password credentials, JWT sessions that end on the server (a session version checked on
// every request), sign-in throttled per account and address, and the same work for known and unknown emails.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db";
import { getEnv, sessionSecret } from "../env";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./passwords";
import { clearFailures, clientAddress, recordFailure, secondsToWait, throttleKeys } from "./sign-in-throttle";
import { endSessions } from "./end-sessions";
import { safeRedirectPath } from "@/lib/safe-redirect";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(1000) });

/** Too many failed sign-ins: try again in `seconds`. The sign-in page and the API (429) both say so. */
export class SignInThrottled extends Error {
  constructor(readonly seconds: number) {
    super(`Too many failed sign-ins. Try again in ${seconds} s.`);
    this.name = "SignInThrottled";
  }
}

/** The error next-auth hands the sign-in form, carrying the wait: "throttled:<seconds>". */
export const THROTTLED_ERROR_PREFIX = "throttled:";

export async function verifyCredentials(input: unknown, ip: string | null = null) {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const keys = throttleKeys(parsed.data.email, ip);
  const wait = await secondsToWait(keys);
  if (wait > 0) throw new SignInThrottled(wait);
  const user = await db.user.findUnique({ where: { email: parsed.data.email } });
  // An unknown email costs the same argon2 verification as a wrong password: timing does not tell them apart.
  const passwordOk = await verifyPassword(user?.passwordHash ?? DUMMY_PASSWORD_HASH, parsed.data.password);
  if (!user || !passwordOk || !user.active) {
    await recordFailure(keys);
    return null;
  }
  await clearFailures(keys[0]);
  return user;
}

export function authOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    // Secure cookies (and their __Secure- names) exactly when the app is served over https.
    useSecureCookies: env.appOrigin?.startsWith("https://") ?? false,
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          try {
            const user = await verifyCredentials(credentials, clientAddress(request?.headers as Record<string, unknown> | undefined));
            if (!user) return null;
            return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
          } catch (error) {
            if (error instanceof SignInThrottled) throw new Error(`${THROTTLED_ERROR_PREFIX}${error.seconds}`);
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.role = user.role;
          token.sv = user.sessionVersion;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = token.sub;
          session.user.role = token.role;
          session.user.sessionVersion = token.sv;
        }
        return session;
      },
      // Only paths of the app, whatever callbackUrl the request carried.
      async redirect({ url, baseUrl }) {
        const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || "/" : url;
        return `${baseUrl}${safeRedirectPath(path, baseUrl)}`;
      },
    },
    events: {
      // Sign-out ends this user's sessions on the server, not only the cookie in this browser.
      async signOut({ token }) {
        if (token?.sub) await endSessions(token.sub);
      },
    },
  };
}
