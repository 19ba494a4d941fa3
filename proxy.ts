// Sends signed-out visitors of app pages to the sign-in page. It only decides what is shown:
// every server/ function checks permissions itself.
import { withAuth } from "next-auth/middleware";

export default withAuth({ pages: { signIn: "/sign-in" } });

export const config = { matcher: ["/annotate/:path*", "/admin/:path*", "/exports/:path*"] };
