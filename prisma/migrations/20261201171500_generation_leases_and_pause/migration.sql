-- Generation that survives misbehaving endpoints and replicas (issue 14): a job can be paused with its batch,
-- names the worker that owns it and the heartbeat interval it keeps (compare-and-set with the heartbeat), pending
-- items are walked by id, and every server shares each model variant's call slots through leases in ModelCallSlot.
-- AlterEnum
ALTER TYPE "JobStatus" ADD VALUE 'paused';

-- DropIndex
DROP INDEX "GenerationItem_jobId_status_idx";

-- AlterTable
ALTER TABLE "GenerationJob" ADD COLUMN     "heartbeatMs" INTEGER,
ADD COLUMN     "workerId" TEXT;

-- CreateTable
CREATE TABLE "ModelCallSlot" (
    "modelVariantId" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "holder" TEXT,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ModelCallSlot_pkey" PRIMARY KEY ("modelVariantId","slot")
);

-- CreateIndex
CREATE INDEX "GenerationItem_jobId_status_id_idx" ON "GenerationItem"("jobId", "status", "id");
