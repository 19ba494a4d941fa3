// A page that only says something: not found, not for your role, an error. The same words' style everywhere;
// `standalone` when it is outside the app's frame (it then is the page's main landmark itself).
import Link from "next/link";

export function StatusPage({
  title,
  children,
  standalone = false,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  standalone?: boolean;
  testId?: string;
}) {
  const body = (
    <div className="mx-auto max-w-xl px-6 py-20 text-center" data-testid={testId}>
      <h1 className="text-xl font-semibold text-stone-900">{title}</h1>
      <div className="mt-3 space-y-3 text-stone-700">{children}</div>
    </div>
  );
  return standalone ? <main>{body}</main> : body;
}

export function HomeLink({ children = "your start page" }: { children?: React.ReactNode }) {
  return (
    <Link href="/" className="font-medium text-teal-800 underline underline-offset-2">
      {children}
    </Link>
  );
}
