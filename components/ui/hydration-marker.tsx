"use client";
// Marks the page as interactive (<html data-hydrated>) once React has attached its handlers, so that
// browser tests never type or click into server-rendered markup that does not listen yet.
import { useEffect } from "react";

export function HydrationMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
