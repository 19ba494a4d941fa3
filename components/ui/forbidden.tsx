// A page the signed-in user's role does not open: answers 403 (app/forbidden.tsx renders the message).
import { forbidden } from "next/navigation";

export function Forbidden({ what }: { what: string }): never {
  void what; // the reason stays in the page's code: the 403 page says the same to every role
  forbidden();
}
