// What a signed-in user sees, with status 403, on a page their role does not open.
import Link from "next/link";

export default function ForbiddenPage() {
  return (
    <div className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-xl font-semibold text-stone-900">Not available to your role</h1>
      <p className="mt-3 text-stone-600">
        This page belongs to another role. Ask an admin if you need it, or go back to{" "}
        <Link href="/" className="text-teal-800 underline">
          your start page
        </Link>
        .
      </p>
    </div>
  );
}
