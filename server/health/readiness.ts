// Answers for load balancers: liveness (the process is up; no database) and readiness (Postgres answers).
import { queryRows } from "../pg-pool";

const READY_TIMEOUT_MS = 2_000;

/** Whether Postgres answers a trivial query within two seconds; never throws. */
export async function isDatabaseReady(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
  try {
    return await Promise.race([queryRows(`SELECT 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
