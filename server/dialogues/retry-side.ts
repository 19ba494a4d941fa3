// Samples one column of a written turn again after its endpoint failed: the same variant, temperature and seed as
// drawn with the turn. The other column is left as it is; the pair becomes judgeable once this one is stored.
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { retrySideSchema } from "./schemas";
import { slotOfSide } from "./turn-plan";
import { assertSampleable, loadTurnToSample, sampleSides, type TurnEvent } from "./stream-turn-responses";

export async function retrySide(
  actor: Actor,
  comparisonId: string,
  input: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<AsyncIterable<TurnEvent>> {
  requirePermission(actor, "judgements.submit");
  const { side } = parseInput(retrySideSchema, input);
  const turn = await loadTurnToSample(actor, comparisonId);
  if (turn.stored.has(slotOfSide(turn.plan, side))) {
    throw new AppError("conflict", `The ${side} response of this turn is already stored; there is nothing to retry.`);
  }
  assertSampleable(turn);
  return sampleSides(turn, [side], options.signal);
}
