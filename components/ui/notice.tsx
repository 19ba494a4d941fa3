// An inline message after an action: an error (role=alert) or a confirmation (role=status).
export function Notice({ tone, children, testId }: { tone: "error" | "success"; children: React.ReactNode; testId?: string }) {
  return tone === "error" ? (
    <p role="alert" className="text-sm text-red-700" data-testid={testId}>
      {children}
    </p>
  ) : (
    <p role="status" className="text-sm text-teal-800" data-testid={testId}>
      {children}
    </p>
  );
}
