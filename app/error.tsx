"use client";
// A page outside the app's frame that failed to build (or the frame itself): "reconnecting" while the database is
// out of reach, else a plain error.
import { PageError } from "@/components/ui/page-error";

export default function Error({ reset }: { error: Error; reset: () => void }) {
  return <PageError reset={reset} standalone />;
}
