-- The queue's tables change on every claim and judgement: a comparison that fills leaves a dead entry in the
-- partial index of open comparisons until a vacuum removes it, and every claim walks past those entries. With the
-- default (a vacuum after 20% of the table changed), a 1,000,000-comparison batch could carry 200,000 of them.
-- Vacuum these tables after a fixed number of changes instead, so the dead entries a claim walks past stay bounded.
ALTER TABLE "Comparison" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                              autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE "Assignment" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                              autovacuum_analyze_scale_factor = 0.02);
