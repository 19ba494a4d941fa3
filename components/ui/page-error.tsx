"use client";
// What a page shows when it could not be built. If the server says its database is out of reach (/api/ready), a
// calm "reconnecting" that tries again by itself until the database answers; otherwise a plain error with a retry.
import { startTransition, useCallback, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "./button";

type State = "checking" | "reconnecting" | "failed";

async function databaseReady(): Promise<boolean> {
  try {
    return (await fetch("/api/ready", { cache: "no-store" })).ok;
  } catch {
    return false;
  }
}

/** `standalone`: outside the app's frame (the root error boundary), so it is the page's main landmark itself. */
export function PageError({ reset, standalone = false }: { reset: () => void; standalone?: boolean }) {
  const router = useRouter();
  const [state, setState] = useState<State>("checking");

  // Refetch the page from the server, then clear the error, in one transition (reset alone would render the failed
  // payload again).
  const retry = useCallback(
    () =>
      startTransition(() => {
        router.refresh();
        reset();
      }),
    [router, reset],
  );

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async (first: boolean) => {
      const ready = await databaseReady();
      if (stopped) return;
      if (ready && first) return setState("failed");
      if (ready) return retry();
      setState("reconnecting");
      timer = setTimeout(() => void check(false), 2000);
    };
    void check(true);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [retry]);

  if (state === "checking") return null;
  const body = (
    <div className="mx-auto max-w-xl px-6 py-24 text-center" data-testid={state === "reconnecting" ? "reconnecting" : "page-error"}>
      {state === "reconnecting" ? (
        <>
          <h1 className="text-xl font-semibold text-stone-900">Reconnecting…</h1>
          <p role="status" className="mt-3 text-stone-600">
            Pairwise cannot reach its database right now. Nothing you saved is lost; this page comes back by itself as soon as the database answers.
          </p>
        </>
      ) : (
        <>
          <h1 className="text-xl font-semibold text-stone-900">This page could not be shown</h1>
          <p className="mt-3 text-stone-600">Something went wrong on our side. The error has been logged.</p>
          <Button className="mt-6" onClick={retry}>
            Try again
          </Button>
        </>
      )}
    </div>
  );
  return standalone ? <main>{body}</main> : body;
}
