// The dialogue so far and the prompt being judged. User turns are plain text; assistant turns are markdown.
import type { Message } from "@/lib/protocol";
import { MarkdownView } from "@/components/markdown/markdown-view";

export function DialogueContext({ context, prompt }: { context: Message[]; prompt: string }) {
  return (
    <section className="mt-4 space-y-3" aria-label="Dialogue">
      {context.map((message, index) => (
        <div
          key={index}
          className={`rounded-lg px-4 py-3 text-[15px] leading-relaxed ${
            message.role === "assistant" ? "border border-stone-200 bg-white text-stone-700" : "bg-stone-100 text-stone-800"
          }`}
        >
          <div className="mb-1 text-xs font-medium uppercase tracking-wide text-stone-500">{message.role}</div>
          {message.role === "assistant" ? (
            <MarkdownView>{message.content}</MarkdownView>
          ) : (
            <p className="whitespace-pre-wrap">{message.content}</p>
          )}
        </div>
      ))}
      <div className="rounded-lg border-l-4 border-teal-600 bg-teal-50/60 px-4 py-3 text-[15px] leading-relaxed text-stone-900" data-testid="prompt">
        <div className="mb-1 text-xs font-medium uppercase tracking-wide text-teal-800">Prompt</div>
        <p className="whitespace-pre-wrap">{prompt}</p>
      </div>
    </section>
  );
}
