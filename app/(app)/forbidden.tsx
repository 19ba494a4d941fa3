// A page the signed-in user's role does not open, with status 403, inside the app's frame.
import { HomeLink, StatusPage } from "@/components/ui/status-page";

export default function Forbidden() {
  return (
    <StatusPage title="Not available to your role" testId="forbidden">
      <p>
        This page belongs to another role. Ask an admin if you need it, or go back to <HomeLink />.
      </p>
    </StatusPage>
  );
}
