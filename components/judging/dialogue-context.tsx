"use client";
// The dialogue so far and the prompt being judged. Earlier turns fold away (the last exchange stays open) and a long
// message shows its start with "Show all", so the prompt and the start of both responses fit on the screen. User
// turns are plain text; assistant turns are markdown.
import { useLayoutEffect, useRef, useState } from "react";
import type { Message } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";

const OPEN_MESSAGES = 2;

function ContextMessage({ message, clamp }: { message: Message; clamp: boolean }) {
  const body = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  const [expanded, setExpanded] = useState(false);
  useLayoutEffect(() => {
    const element = body.current;
    if (element) setOverflows(element.scrollHeight > element.clientHeight + 4);
  }, [message.content, clamp]);
  const clamped = clamp && !expanded;
  return (
    <div
      className={`rounded-lg px-4 py-3 text-[15px] leading-relaxed ${
        message.role === "assistant" ? "border border-stone-200 bg-white text-stone-800" : "bg-stone-100 text-stone-900"
      }`}
    >
      <div className="mb-1 text-xs font-medium uppercase tracking-wide text-stone-600">{message.role}</div>
      <div ref={body} className={clamped ? "max-h-32 overflow-hidden" : ""}>
        {message.role === "assistant" ? <MarkdownView>{message.content}</MarkdownView> : <p className="whitespace-pre-wrap">{message.content}</p>}
      </div>
      {clamp && (overflows || expanded) && (
        <button type="button" className="mt-1 text-xs font-medium text-teal-800 underline underline-offset-2" onClick={() => setExpanded((e) => !e)}>
          {expanded ? "Show less" : "Show all"}
        </button>
      )}
    </div>
  );
}

export function DialogueContext({ context, prompt }: { context: Message[]; prompt: string }) {
  const earlier = context.slice(0, Math.max(0, context.length - OPEN_MESSAGES));
  const recent = context.slice(earlier.length);
  return (
    <section className="mt-3 space-y-2" aria-label="Dialogue">
      {earlier.length > 0 && (
        <details className="rounded-lg border border-stone-200 bg-white" data-testid="earlier-turns">
          <summary className="cursor-pointer px-4 py-2 text-sm text-stone-700">
            Earlier in this dialogue · {earlier.length} message{earlier.length === 1 ? "" : "s"}
          </summary>
          <div className="space-y-2 border-t border-stone-100 p-2">
            {earlier.map((message, index) => (
              <ContextMessage key={index} message={message} clamp={false} />
            ))}
          </div>
        </details>
      )}
      {recent.map((message, index) => (
        <ContextMessage key={earlier.length + index} message={message} clamp />
      ))}
      <div className="rounded-lg border-l-4 border-teal-600 bg-teal-50 px-4 py-3 text-[15px] leading-relaxed text-stone-900" data-testid="prompt">
        <div className="mb-1 text-xs font-medium uppercase tracking-wide text-teal-800">Prompt</div>
        <p className="whitespace-pre-wrap">{prompt}</p>
      </div>
    </section>
  );
}
