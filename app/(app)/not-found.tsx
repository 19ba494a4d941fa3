// A missing batch, comparison or page, inside the app's frame (notFound() from any page of the app).
import { HomeLink, StatusPage } from "@/components/ui/status-page";

export default function NotFound() {
  return (
    <StatusPage title="Not found" testId="not-found">
      <p>
        There is nothing here: it may have been removed, or the address is mistyped. Go back to <HomeLink />.
      </p>
    </StatusPage>
  );
}
