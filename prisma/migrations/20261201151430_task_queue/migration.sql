-- AlterEnum
ALTER TYPE "AssignmentStatus" ADD VALUE 'lapsed';

-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "claimable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "openSlots" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "responseCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "BatchTally" (
    "batchId" TEXT NOT NULL,
    "shard" INTEGER NOT NULL,
    "comparisons" INTEGER NOT NULL DEFAULT 0,
    "lackingResponses" INTEGER NOT NULL DEFAULT 0,
    "judgements" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "BatchTally_pkey" PRIMARY KEY ("batchId","shard")
);

-- CreateIndex
CREATE INDEX "Assignment_leasedAt_idx" ON "Assignment"("leasedAt");

-- CreateIndex
CREATE INDEX "Judgement_annotatorId_createdAt_idx" ON "Judgement"("annotatorId", "createdAt");

-- AddForeignKey
ALTER TABLE "BatchTally" ADD CONSTRAINT "BatchTally_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
