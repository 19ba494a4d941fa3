// Renders untrusted markdown (model responses, prompts, guidelines): raw HTML is shown as text, never parsed,
// the output is sanitised, and code blocks are highlighted.
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
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

export function MarkdownView({ children, className = "" }: { children: string; className?: string }) {
  return (
    <div className={`markdown ${className}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        // Sanitise first, then highlight: highlighting only adds hljs classes to already-safe code.
        rehypePlugins={[rehypeSanitize, [rehypeHighlight, { detect: true, ignoreMissing: true }]]}
        skipHtml={false}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
}
