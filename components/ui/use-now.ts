"use client";
// The current time to the second, ticking: null on the server and while hydrating, so server and browser render
// the same markup (a clock read while rendering on both sides never agrees).
import { useSyncExternalStore } from "react";

function subscribe(onTick: () => void): () => void {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}

const currentSecond = () => Math.floor(Date.now() / 1000) * 1000;
const onServer = () => null;

export function useNow(): number | null {
  return useSyncExternalStore(subscribe, currentSecond, onServer);
}
