// The operator at the command line (npm run export): whoever holds DATABASE_URL already holds the data,
// so CLIs act with a researcher's permissions under a fixed id that no user row has.
import type { Actor } from "./permissions";

export function operatorActor(): Actor {
  return { id: "operator", email: "operator@localhost", name: "Operator (command line)", role: "researcher", vendorId: null };
}
