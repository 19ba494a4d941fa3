"use client";
// Any page that failed to build: "reconnecting" while the database is out of reach, else a plain error.
import { PageError } from "@/components/ui/page-error";

export default function Error({ reset }: { error: Error; reset: () => void }) {
  return <PageError reset={reset} />;
}
