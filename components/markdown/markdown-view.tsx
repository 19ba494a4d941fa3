// Renders untrusted markdown (model responses, prompts, guidelines): single line breaks are kept, raw HTML is shown
// as text, never parsed, the output is sanitised, code blocks are highlighted, and images are never loaded: each
// becomes a link that names its host (a remote image would tell its server who read the text, and when).
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import remarkBreaks from "remark-breaks";
import rehypeSanitize from "rehype-sanitize";
import rehypeHighlight from "rehype-highlight";

type MdNode = { type: string; value?: string; children?: MdNode[] };

/** remark plugin: turns raw HTML nodes into plain text so `<img onerror=…>` is displayed, not dropped or run. */
function remarkHtmlAsText() {
  return (tree: MdNode) => {
    const visit = (node: MdNode) => {
      if (node.type === "html") node.type = "text";
      node.children?.forEach(visit);
    };
    visit(tree);
  };
}

/** Where an image would have come from, as the link names it. */
function imageHost(src: unknown): string {
  if (typeof src !== "string" || src === "") return "no address";
  try {
    const url = new URL(src, "relative:/");
    return url.protocol === "relative:" ? "a path of this site" : url.host || url.protocol.replace(/:$/, "");
  } catch {
    return "an invalid address";
  }
}

function ImageAsLink({ src, alt }: { src?: unknown; alt?: string }) {
  const host = imageHost(src);
  const label = alt?.trim() ? alt.trim() : "image";
  if (typeof src !== "string" || src === "") return <span className="text-stone-600">[{label}]</span>;
  return (
    <a
      href={src}
      target="_blank"
      rel="noopener noreferrer nofollow"
      referrerPolicy="no-referrer"
      className="markdown-image-link"
      data-image-host={host}
    >
      [image: {label} — {host}]
    </a>
  );
}

/**
 * Headings of untrusted text sit two levels below the page's own (an "# Title" in guidelines or a response is not
 * the page's h1): h1 → h3 … h4 and below → h6. They keep their look through the .markdown-hN classes.
 */
function demoted(level: 3 | 4 | 5 | 6, look: number) {
  const Tag = `h${level}` as const;
  return function Heading({ children }: { children?: React.ReactNode }) {
    return <Tag className={`markdown-h${look}`}>{children}</Tag>;
  };
}
const HEADINGS = { h1: demoted(3, 1), h2: demoted(4, 2), h3: demoted(5, 3), h4: demoted(6, 4), h5: demoted(6, 5), h6: demoted(6, 6) };

export function MarkdownView({ children, className = "" }: { children: string; className?: string }) {
  return (
    <div className={`markdown ${className}`}>
      <ReactMarkdown
        // Breaks: a single line break stays a line break, as the writer (a model, an annotator) wrote it.
        remarkPlugins={[remarkGfm, remarkBreaks, remarkHtmlAsText]}
        // Sanitise first, then highlight: highlighting only adds hljs classes to already-safe code.
        rehypePlugins={[rehypeSanitize, [rehypeHighlight, { detect: true, ignoreMissing: true }]]}
        skipHtml={false}
        components={{ img: ImageAsLink, ...HEADINGS }}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
