"use client";
// A page of the app that failed to build, inside the app's frame: "reconnecting" while the database is out of
// reach, else a plain error with a retry.
import { PageError } from "@/components/ui/page-error";

export default function Error({ reset }: { error: Error; reset: () => void }) {
  return <PageError reset={reset} />;
}
