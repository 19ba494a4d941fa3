// The one way pages handle what they cannot show: a missing thing is notFound() (app/(app)/not-found.tsx), a role
// that may not see the page is forbidden() (a styled 403, app/(app)/forbidden.tsx), anything else goes to error.tsx.
import { notFound } from "next/navigation";
import { AppError } from "@/server/errors";

/** The value, or the not-found page when the domain says the thing does not exist. */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
