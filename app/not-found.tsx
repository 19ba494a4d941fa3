// An address that is no page of the app (outside its frame: the visitor may not be signed in).
import { HomeLink, StatusPage } from "@/components/ui/status-page";

export default function NotFound() {
  return (
    <StatusPage title="Not found" standalone testId="not-found">
      <p>
        No page of Pairwise has this address. Go to <HomeLink />.
      </p>
    </StatusPage>
  );
}
