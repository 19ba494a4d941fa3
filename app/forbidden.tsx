// A page the role does not open, outside the app's frame (the app's own pages use app/(app)/forbidden.tsx).
import { HomeLink, StatusPage } from "@/components/ui/status-page";

export default function Forbidden() {
  return (
    <StatusPage title="Not available to your role" standalone testId="forbidden">
      <p>
        This page belongs to another role. Ask an admin if you need it, or go back to <HomeLink />.
      </p>
    </StatusPage>
  );
}
