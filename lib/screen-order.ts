// Left/right order of the two responses on screen, drawn per assignment so position carries no signal.
import { randomInt } from "node:crypto";

export type ScreenOrder<T> = { left: T; right: T };

/** `coin` returns 0 or 1; injectable so the rule is testable, crypto-random by default. */
export function drawScreenOrder<T>(first: T, second: T, coin: () => number = () => randomInt(2)): ScreenOrder<T> {
  return coin() === 0 ? { left: first, right: second } : { left: second, right: first };
}
