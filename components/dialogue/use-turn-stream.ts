"use client";
// The live sampling of a written turn: both columns stream at once into the turn on screen, a failed column can be
// sampled again on its own (same draw), and streams still running when the page goes away are cancelled (the server
// then stops sampling). A cut connection shows as a retryable error in the columns it left incomplete.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Degree, Message, Side } from "@/lib/protocol";
import type { TurnEvent } from "@/server/dialogues/stream-turn-responses";
import type { ColumnState } from "./streaming-card";
import { TurnStreamRefused, readTurnEvents } from "./turn-stream";

export type Turn = {
  comparisonId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  columns: Record<Side, ColumnState>;
  assignmentId: string | null;
  judgement: { chosen: Side; degree: Degree } | null;
  skipped: boolean;
};

export const SIDES: Side[] = ["left", "right"];
export const EMPTY_COLUMN: ColumnState = { status: "waiting", text: "", responseId: null, error: null };

export function useTurnStream(initial: Turn | null) {
  const [turn, setTurn] = useState<Turn | null>(initial);
  const streams = useRef(new Set<AbortController>());

  useEffect(() => {
    const running = streams.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);

  const apply = useCallback((forComparison: string, event: TurnEvent) => {
    setTurn((current) => {
      if (!current || current.comparisonId !== forComparison) return current;
      if ("ready" in event) return { ...current, assignmentId: event.assignmentId };
      const column = current.columns[event.side];
      let next: ColumnState;
      if ("delta" in event) next = { ...column, status: "streaming", text: column.text + event.delta };
      else if ("done" in event) next = { status: "done", text: event.content, responseId: event.responseId, error: null };
      else next = { ...column, status: "error", error: event.error };
      return { ...current, columns: { ...current.columns, [event.side]: next } };
    });
  }, []);

  const fail = useCallback((forComparison: string, sides: Side[], message: string) => {
    setTurn((current) => {
      if (!current || current.comparisonId !== forComparison) return current;
      const columns = { ...current.columns };
      for (const side of sides) if (columns[side].status !== "done") columns[side] = { ...columns[side], status: "error", error: message };
      return { ...current, columns };
    });
  }, []);

  const run = useCallback(
    async (forComparison: string, sides: Side[], retry: boolean) => {
      const controller = new AbortController();
      streams.current.add(controller);
      const finished = new Set<Side>();
      try {
        const events = retry
          ? readTurnEvents(`/api/v1/comparisons/${forComparison}/retry`, { method: "POST", body: { side: sides[0] }, signal: controller.signal })
          : readTurnEvents(`/api/v1/comparisons/${forComparison}/stream`, { signal: controller.signal });
        for await (const event of events) {
          if (!("ready" in event) && !("delta" in event)) finished.add(event.side);
          apply(forComparison, event);
        }
        const cut = sides.filter((side) => !finished.has(side));
        if (cut.length > 0) fail(forComparison, cut, "The connection closed before this response was complete.");
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = error instanceof TurnStreamRefused ? error.message : "Could not reach the server. Check your connection, then retry.";
        fail(
          forComparison,
          sides.filter((side) => !finished.has(side)),
          message,
        );
      } finally {
        streams.current.delete(controller);
      }
    },
    [apply, fail],
  );

  // A turn that still lacks a response (just started, or resumed after a reload) is sampled as soon as it is shown.
  const comparisonId = turn?.comparisonId ?? null;
  const waiting = !!turn && !turn.assignmentId && !turn.skipped && SIDES.some((side) => turn.columns[side].status === "waiting");
  const started = useRef<string | null>(null);
  useEffect(() => {
    if (!comparisonId || !waiting || started.current === comparisonId) return;
    started.current = comparisonId;
    void run(comparisonId, SIDES, false);
  }, [comparisonId, waiting, run]);

  /** Samples failed columns again: each starts over empty, the other column stays as it is. */
  const retry = useCallback(
    (sides: Side[]) => {
      if (!turn) return;
      const forComparison = turn.comparisonId;
      setTurn((current) => {
        if (!current || current.comparisonId !== forComparison) return current;
        const columns = { ...current.columns };
        for (const side of sides) columns[side] = { ...EMPTY_COLUMN };
        return { ...current, columns };
      });
      for (const side of sides) void run(forComparison, [side], true);
    },
    [turn, run],
  );

  const stopAll = useCallback(() => streams.current.forEach((controller) => controller.abort()), []);

  return { turn, setTurn, retry, stopAll };
}
