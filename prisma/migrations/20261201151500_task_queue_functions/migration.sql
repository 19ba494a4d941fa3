-- The task queue (server/tasks/): what "can be claimed" means, written once, in the database.
--
-- A comparison keeps three columns that triggers update in the same transaction as the writes that change them:
--   "openSlots"     k minus its assignments that hold a slot (leased or submitted; skipped and lapsed do not);
--   "responseCount" the responses stored (0, 1 or 2);
--   claimable       both responses stored, and not a turn of a dialogue its writer is still writing.
-- A claim walks a partial index of claimable comparisons with an open slot, in hand-out order, so it reads a
-- bounded number of rows however many comparisons exist or are full. A lease that ran out keeps its slot until
-- a claim takes the slot over (it then lapses), found through a partial index of leases: no sweep of the batch.
-- Batch counts live in BatchTally, a few rows per batch summed by readers. All times are UTC, as Prisma stores them.

-- Counts kept by triggers; a bug would rather fail a write than hand out a slot that does not exist.
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_openSlots_check" CHECK ("openSlots" >= 0);

-- Data from the old rule: an expired lease whose slot another annotator took lapses; so do leases of closed batches.
WITH ranked AS (
  SELECT a.id, a.status, b.overlap,
         row_number() OVER (PARTITION BY a."comparisonId"
                            ORDER BY (a.status = 'submitted') DESC, (a."leaseExpiresAt" > (now() AT TIME ZONE 'UTC')) DESC, a."leasedAt" DESC) AS n
  FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId" JOIN "Batch" b ON b.id = c."batchId"
  WHERE a.status IN ('leased', 'submitted')
)
UPDATE "Assignment" a SET status = 'lapsed'
FROM ranked r WHERE r.id = a.id AND r.status = 'leased' AND r.n > r.overlap;

UPDATE "Assignment" a SET status = 'lapsed'
FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
WHERE c.id = a."comparisonId" AND b.status = 'closed' AND a.status = 'leased';

UPDATE "Comparison" c SET
  "responseCount" = (SELECT count(*) FROM "Response" r WHERE r."comparisonId" = c.id),
  "openSlots" = GREATEST(0, b.overlap - (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id AND a.status IN ('leased', 'submitted')))
FROM "Batch" b WHERE b.id = c."batchId";

UPDATE "Comparison" c SET claimable = true
FROM "Batch" b, "Dialogue" d
WHERE b.id = c."batchId" AND d.id = c."dialogueId" AND c."responseCount" = 2
  AND (b."promptSource" = 'imported' OR d."endedAt" IS NOT NULL);

INSERT INTO "BatchTally" ("batchId", shard, comparisons, "lackingResponses", judgements)
SELECT b.id, 0,
       (SELECT count(*) FROM "Comparison" c WHERE c."batchId" = b.id),
       (SELECT count(*) FROM "Comparison" c WHERE c."batchId" = b.id AND c."responseCount" < 2),
       (SELECT count(*) FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId" WHERE c."batchId" = b.id)
FROM "Batch" b;

-- The slot count replaced counting assignments by comparison and status; (comparison, annotator) serves lookups.
DROP INDEX "Assignment_comparisonId_status_idx";

-- The queue in hand-out order (oldest batch first is the claim's loop over batches), and the leases to take over.
CREATE INDEX "Comparison_queue_idx" ON "Comparison" ("batchId", seq) WHERE "openSlots" > 0 AND claimable;
CREATE INDEX "Assignment_lease_idx" ON "Assignment" ("leaseExpiresAt") WHERE status = 'leased';

-- Tallies: each connection adds to its own row of a batch (by backend pid), so concurrent judgements rarely wait on
-- one row lock. A batch deleted with its comparisons has no tally left to keep.
-- (plpgsql, not sql: a plpgsql function keeps its plans for the session, an sql one that cannot be inlined is parsed
-- and planned on every call.)
CREATE FUNCTION pairwise_tally_add(p_batch text, p_comparisons bigint, p_lacking bigint, p_judgements bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "BatchTally" ("batchId", shard, comparisons, "lackingResponses", judgements)
  SELECT p_batch, pg_backend_pid() % 16, p_comparisons, p_lacking, p_judgements
   WHERE EXISTS (SELECT 1 FROM "Batch" WHERE id = p_batch)
  ON CONFLICT ("batchId", shard) DO UPDATE
    SET comparisons = "BatchTally".comparisons + EXCLUDED.comparisons,
        "lackingResponses" = "BatchTally"."lackingResponses" + EXCLUDED."lackingResponses",
        judgements = "BatchTally".judgements + EXCLUDED.judgements;
END $$;

CREATE FUNCTION pairwise_comparison_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."openSlots" := (SELECT overlap FROM "Batch" WHERE id = NEW."batchId");
  NEW."responseCount" := 0;
  NEW.claimable := false;
  RETURN NEW;
END $$;
CREATE TRIGGER "Comparison_defaults" BEFORE INSERT ON "Comparison"
  FOR EACH ROW EXECUTE FUNCTION pairwise_comparison_defaults();

-- Comparisons come without responses (they are stored next); a deleted one may take its missing pair with it.
CREATE FUNCTION pairwise_comparisons_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pairwise_tally_add("batchId", count(*), count(*), 0) FROM new_rows GROUP BY "batchId";
  ELSE
    PERFORM pairwise_tally_add("batchId", -count(*), -count(*) FILTER (WHERE "responseCount" < 2), 0) FROM old_rows GROUP BY "batchId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Comparison_tally_insert" AFTER INSERT ON "Comparison"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pairwise_comparisons_changed();
CREATE TRIGGER "Comparison_tally_delete" AFTER DELETE ON "Comparison"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pairwise_comparisons_changed();

-- Responses: the second one makes the pair, and an imported pair (or a turn of an ended dialogue) claimable.
-- Responses are only ever inserted (a comparison's are deleted with it), so this is all a pair needs.
CREATE FUNCTION pairwise_responses_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_completed record;
BEGIN
  FOR v_completed IN
    WITH added AS (
      SELECT "comparisonId" AS id, count(*)::int AS n FROM new_rows GROUP BY 1
    ), updated AS (
      UPDATE "Comparison" c
         SET "responseCount" = c."responseCount" + added.n,
             claimable = (c."responseCount" + added.n = 2) AND (b."promptSource" = 'imported' OR d."endedAt" IS NOT NULL)
        FROM added, "Batch" b, "Dialogue" d
       WHERE c.id = added.id AND b.id = c."batchId" AND d.id = c."dialogueId"
      RETURNING c."batchId", c."responseCount" >= 2 AND c."responseCount" - added.n < 2 AS completed
    )
    SELECT "batchId", count(*) AS n FROM updated WHERE completed GROUP BY "batchId"
  LOOP
    PERFORM pairwise_tally_add(v_completed."batchId", 0, -v_completed.n, 0);
  END LOOP;
  RETURN NULL;
END $$;
CREATE TRIGGER "Response_queue_insert" AFTER INSERT ON "Response"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pairwise_responses_inserted();

-- A written dialogue that ends hands its complete turns to the pool.
CREATE FUNCTION pairwise_dialogue_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Comparison" SET claimable = true WHERE "dialogueId" = NEW.id AND "responseCount" = 2 AND NOT claimable;
  RETURN NULL;
END $$;
CREATE TRIGGER "Dialogue_ended" AFTER UPDATE OF "endedAt" ON "Dialogue"
  FOR EACH ROW WHEN (OLD."endedAt" IS NULL AND NEW."endedAt" IS NOT NULL) EXECUTE FUNCTION pairwise_dialogue_ended();

-- Slots: leased and submitted assignments hold one.
CREATE FUNCTION pairwise_assignment_slots() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delta integer := 0;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status IN ('leased', 'submitted') THEN delta := delta + 1; END IF;
  IF TG_OP <> 'DELETE' AND NEW.status IN ('leased', 'submitted') THEN delta := delta - 1; END IF;
  IF delta <> 0 THEN
    UPDATE "Comparison" SET "openSlots" = "openSlots" + delta
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD."comparisonId" ELSE NEW."comparisonId" END;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Assignment_slots" AFTER INSERT OR DELETE OR UPDATE OF status ON "Assignment"
  FOR EACH ROW EXECUTE FUNCTION pairwise_assignment_slots();

-- Judgements come one at a time (a row trigger costs less than a transition table for one row). Judgements deleted
-- with their comparison leave its batch's count alone: only a batch deletes judged comparisons, with its tallies.
CREATE FUNCTION pairwise_judgement_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pairwise_tally_add((SELECT "batchId" FROM "Comparison" WHERE id = NEW."comparisonId"), 0, 0, 1);
  ELSE
    PERFORM pairwise_tally_add((SELECT "batchId" FROM "Comparison" WHERE id = OLD."comparisonId"), 0, 0, -1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "Judgement_tally" AFTER INSERT OR DELETE ON "Judgement"
  FOR EACH ROW EXECUTE FUNCTION pairwise_judgement_counted();

-- A closed batch takes no more judgements: its open leases lapse (and leave the index of leases to take over).
CREATE FUNCTION pairwise_batch_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Assignment" a SET status = 'lapsed', "finishedAt" = now() AT TIME ZONE 'UTC'
    FROM "Comparison" c
   WHERE a.status = 'leased' AND c.id = a."comparisonId" AND c."batchId" = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "Batch_closed" AFTER UPDATE OF status ON "Batch"
  FOR EACH ROW WHEN (NEW.status = 'closed' AND OLD.status <> 'closed') EXECUTE FUNCTION pairwise_batch_closed();

-- Which guidelines version a task is judged under: the latest saved when it was claimed (versions are only added,
-- never edited). Version 1 is created with the batch, so only clock skew leaves none: then the first.
CREATE FUNCTION pairwise_guideline_in_force(p_batch text, p_claimed_at timestamp) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN COALESCE(
    (SELECT id FROM "GuidelineVersion" WHERE "batchId" = p_batch AND "createdAt" <= p_claimed_at ORDER BY version DESC LIMIT 1),
    (SELECT id FROM "GuidelineVersion" WHERE "batchId" = p_batch ORDER BY version ASC LIMIT 1));
END $$;

-- Leases p_annotator a slot of p_comparison (locked by the caller), sides in the order the caller drew.
CREATE FUNCTION pairwise_lease(p_annotator text, p_comparison text, p_lease_seconds integer, p_swap boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_id text;
  v_now timestamp := now() AT TIME ZONE 'UTC';
BEGIN
  INSERT INTO "Assignment" (id, "comparisonId", "annotatorId", "leftResponseId", "rightResponseId", status, "leasedAt", "leaseExpiresAt")
  SELECT gen_random_uuid()::text, p_comparison, p_annotator,
         CASE WHEN p_swap THEN r1.id ELSE r0.id END, CASE WHEN p_swap THEN r0.id ELSE r1.id END,
         'leased', v_now, v_now + make_interval(secs => p_lease_seconds)
    FROM "Response" r0, "Response" r1
   WHERE r0."comparisonId" = p_comparison AND r0.slot = 0 AND r1."comparisonId" = p_comparison AND r1.slot = 1
  RETURNING id INTO v_id;
  RETURN v_id;
END $$;

-- What an annotator sees of an assignment (server/tasks/task-view.ts reads it): blind (no model names), in the
-- recorded left/right order, with the guidelines version in force when it was claimed. No rows for a NULL id.
CREATE FUNCTION pairwise_task_view(p_assignment text)
RETURNS TABLE (
  "assignmentId" text, "batchId" text, "batchName" text, focus "BatchFocus", "requireSafety" boolean,
  "guidelinesId" text, "guidelinesVersion" integer, "guidelinesMarkdown" text,
  "dialogueId" text, "turnIndex" integer, context jsonb, prompt text,
  "leftId" text, "leftContent" text, "rightId" text, "rightContent" text, "leasedAt" text, "leaseExpiresAt" text
) LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT a.id, b.id, b.name, b.focus, b."requireSafety", g.id, g.version, g.markdown,
         c."dialogueId", c."turnIndex", c.context, c.prompt, l.id, l.content, r.id, r.content,
         to_char(a."leasedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(a."leaseExpiresAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    FROM "Assignment" a
    JOIN "Comparison" c ON c.id = a."comparisonId"
    JOIN "Batch" b ON b.id = c."batchId"
    JOIN "Response" l ON l.id = a."leftResponseId"
    JOIN "Response" r ON r.id = a."rightResponseId"
    JOIN "GuidelineVersion" g ON g.id = pairwise_guideline_in_force(b.id, a."leasedAt")
   WHERE a.id = p_assignment;
END $$;

-- The next task of p_annotator (of batch p_batch, or of every active batch, oldest first), as an assignment id, or
-- NULL when there is none. The rules: exactly k assignments hold slots of a comparison, from k different annotators
-- (the unique index on comparison and annotator), never a comparison this annotator was given before; only
-- claimable comparisons of active batches; a lease this annotator already holds comes back first.
CREATE FUNCTION pairwise_claim_assignment(p_annotator text, p_batch text, p_swap boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp := now() AT TIME ZONE 'UTC';
  v_batch record;
  v_held record;
  v_comparison text;
  v_lapsing text;
BEGIN
  -- 1. A task already held (a reload, a second tab). If its lease ran out and nobody took the slot, it is renewed.
  SELECT a.id, a."leaseExpiresAt", b."leaseSeconds" INTO v_held
    FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId" JOIN "Batch" b ON b.id = c."batchId"
   WHERE a."annotatorId" = p_annotator AND a.status = 'leased' AND c.claimable AND b.status = 'active'
     AND (p_batch IS NULL OR b.id = p_batch)
   ORDER BY a."leasedAt" LIMIT 1
     FOR UPDATE OF a;
  IF v_held.id IS NOT NULL THEN
    IF v_held."leaseExpiresAt" <= v_now THEN
      UPDATE "Assignment" SET "leaseExpiresAt" = v_now + make_interval(secs => v_held."leaseSeconds") WHERE id = v_held.id;
    END IF;
    RETURN v_held.id;
  END IF;

  FOR v_batch IN
    SELECT id, "leaseSeconds" FROM "Batch" WHERE status = 'active' AND (p_batch IS NULL OR id = p_batch) ORDER BY "createdAt", id
  LOOP
    -- 2. A slot whose lease ran out, longest expired first: taken over; the old lease lapses.
    SELECT a.id, a."comparisonId" INTO v_lapsing, v_comparison
      FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
     WHERE a.status = 'leased' AND a."leaseExpiresAt" <= v_now AND c."batchId" = v_batch.id AND c.claimable
       AND NOT EXISTS (SELECT 1 FROM "Assignment" m WHERE m."comparisonId" = a."comparisonId" AND m."annotatorId" = p_annotator)
     ORDER BY a."leaseExpiresAt" LIMIT 1
       FOR UPDATE OF a SKIP LOCKED;
    IF v_lapsing IS NOT NULL THEN
      PERFORM 1 FROM "Comparison" WHERE id = v_comparison FOR UPDATE;
      UPDATE "Assignment" SET status = 'lapsed', "finishedAt" = v_now WHERE id = v_lapsing;
      RETURN pairwise_lease(p_annotator, v_comparison, v_batch."leaseSeconds", p_swap);
    END IF;

    -- 3. The first comparison in hand-out order with an open slot that this annotator was never given. Rows other
    --    claimers hold are skipped; if that leaves none, wait for the first of them (k > 1 may leave it a slot).
    SELECT c.id INTO v_comparison FROM "Comparison" c
     WHERE c."batchId" = v_batch.id AND c."openSlots" > 0 AND c.claimable
       AND NOT EXISTS (SELECT 1 FROM "Assignment" m WHERE m."comparisonId" = c.id AND m."annotatorId" = p_annotator)
     ORDER BY c.seq LIMIT 1
       FOR UPDATE OF c SKIP LOCKED;
    IF v_comparison IS NULL THEN
      SELECT c.id INTO v_comparison FROM "Comparison" c
       WHERE c."batchId" = v_batch.id AND c."openSlots" > 0 AND c.claimable
         AND NOT EXISTS (SELECT 1 FROM "Assignment" m WHERE m."comparisonId" = c.id AND m."annotatorId" = p_annotator)
       ORDER BY c.seq LIMIT 1
         FOR UPDATE OF c;
    END IF;
    IF v_comparison IS NOT NULL THEN
      RETURN pairwise_lease(p_annotator, v_comparison, v_batch."leaseSeconds", p_swap);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

-- The claim as the app calls it: the task the annotator is given, as pairwise_task_view shows it, in one round trip
-- (no rows when there is nothing to hand out).
CREATE FUNCTION pairwise_claim(p_annotator text, p_batch text, p_swap boolean)
RETURNS TABLE (
  "assignmentId" text, "batchId" text, "batchName" text, focus "BatchFocus", "requireSafety" boolean,
  "guidelinesId" text, "guidelinesVersion" integer, "guidelinesMarkdown" text,
  "dialogueId" text, "turnIndex" integer, context jsonb, prompt text,
  "leftId" text, "leftContent" text, "rightId" text, "rightContent" text, "leasedAt" text, "leaseExpiresAt" text
) LANGUAGE plpgsql AS $$
DECLARE
  v_id text;
BEGIN
  -- Two statements: the view's snapshot must be taken after the lease is written.
  v_id := pairwise_claim_assignment(p_annotator, p_batch, p_swap);
  RETURN QUERY SELECT * FROM pairwise_task_view(v_id);
END $$;

-- Records a judgement of p_assignment, idempotent per (annotator, key): a repeated key returns the first judgement;
-- a key already used for another assignment fails on the unique index (server/tasks words it as a reused key).
-- A lease that ran out is still accepted while its slot is free: kept if nobody took it over, or if another slot of the
-- comparison is open again. Refusals raise 'pairwise:<code>' for server/tasks to word.
CREATE FUNCTION pairwise_submit(
  p_annotator text, p_vendor text, p_assignment text, p_key text, p_chosen "Side", p_degree "Degree",
  p_chosen_safety "SafetyLabel", p_rejected_safety "SafetyLabel", p_safety_bin "SafetyBin", p_time_spent_ms integer
) RETURNS SETOF "Judgement" LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamp := now() AT TIME ZONE 'UTC';
  v_a record;
  v_earlier "Judgement";
  v_guidelines text;
BEGIN
  SELECT a.id, a."comparisonId", a."leftResponseId", a."rightResponseId", a.status, a."leasedAt",
         b.id AS "batchId", b.status AS "batchStatus", b."requireSafety"
    INTO v_a
    FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId" JOIN "Batch" b ON b.id = c."batchId"
   WHERE a.id = p_assignment AND a."annotatorId" = p_annotator
     FOR UPDATE OF a;
  IF v_a.id IS NULL THEN RAISE EXCEPTION 'pairwise:not_found'; END IF;
  -- The assignment's row lock orders retries of one submit: the second finds the first's judgement. (A key already
  -- used for another assignment meets the unique index on annotator and key when inserting below.)
  SELECT * INTO v_earlier FROM "Judgement" j WHERE j."assignmentId" = p_assignment;
  IF v_earlier.id IS NOT NULL THEN
    IF v_earlier."idempotencyKey" <> p_key THEN RAISE EXCEPTION 'pairwise:already_judged'; END IF;
    RETURN NEXT v_earlier;
    RETURN;
  END IF;
  IF v_a.status = 'submitted' THEN RAISE EXCEPTION 'pairwise:already_judged'; END IF;
  IF v_a.status = 'skipped' THEN RAISE EXCEPTION 'pairwise:skipped'; END IF;
  IF v_a."batchStatus" = 'closed' THEN RAISE EXCEPTION 'pairwise:batch_closed'; END IF;
  IF v_a.status = 'lapsed' THEN
    PERFORM 1 FROM "Comparison" WHERE id = v_a."comparisonId" AND "openSlots" > 0 FOR UPDATE;
    IF NOT FOUND THEN RAISE EXCEPTION 'pairwise:lease_expired'; END IF;
  END IF;
  IF v_a."requireSafety" AND p_chosen_safety IS NULL THEN RAISE EXCEPTION 'pairwise:safety_required'; END IF;

  -- The guidelines on screen: the version in force when the task was claimed.
  v_guidelines := pairwise_guideline_in_force(v_a."batchId", v_a."leasedAt");

  UPDATE "Assignment" SET status = 'submitted', "finishedAt" = v_now WHERE id = p_assignment;
  RETURN QUERY
  INSERT INTO "Judgement" (id, "assignmentId", "comparisonId", "annotatorId", "vendorId", "chosenResponseId", "rejectedResponseId",
                           "chosenSide", degree, "chosenSafety", "rejectedSafety", "safetyBin", "timeSpentMs", "guidelineVersionId",
                           "idempotencyKey", "createdAt")
  VALUES (gen_random_uuid()::text, p_assignment, v_a."comparisonId", p_annotator, p_vendor,
          CASE WHEN p_chosen = 'left' THEN v_a."leftResponseId" ELSE v_a."rightResponseId" END,
          CASE WHEN p_chosen = 'left' THEN v_a."rightResponseId" ELSE v_a."leftResponseId" END,
          p_chosen, p_degree, p_chosen_safety, p_rejected_safety, p_safety_bin, p_time_spent_ms, v_guidelines, p_key, v_now)
  RETURNING *;
END $$;
