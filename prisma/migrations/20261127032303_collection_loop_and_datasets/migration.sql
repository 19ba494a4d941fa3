-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "GenerationItemStatus" AS ENUM ('pending', 'done', 'failed');

-- AlterTable
ALTER TABLE "Batch" ADD COLUMN     "attackVectors" "AttackVector"[] DEFAULT ARRAY['psychological_manipulation', 'logic_manipulation', 'syntactic_manipulation', 'semantic_manipulation', 'perspective_manipulation', 'non_english', 'other']::"AttackVector"[],
ADD COLUMN     "riskCategories" "RiskCategory"[] DEFAULT ARRAY['illicit_and_criminal_activities', 'hateful_and_harmful_activities', 'unqualified_advice']::"RiskCategory"[];

-- AlterTable
ALTER TABLE "ModelVariant" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "maxConcurrency" INTEGER NOT NULL DEFAULT 4,
ADD COLUMN     "timeoutMs" INTEGER NOT NULL DEFAULT 60000,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "finishReason" TEXT;

-- CreateTable
CREATE TABLE "BatchModelVariant" (
    "batchId" TEXT NOT NULL,
    "modelVariantId" TEXT NOT NULL,

    CONSTRAINT "BatchModelVariant_pkey" PRIMARY KEY ("batchId","modelVariantId")
);

-- CreateTable
CREATE TABLE "GenerationJob" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),

    CONSTRAINT "GenerationJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GenerationItem" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "plan" JSONB NOT NULL,
    "status" "GenerationItemStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GenerationItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "filters" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "splitSalt" TEXT NOT NULL,
    "testFraction" DOUBLE PRECISION NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "manifest" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GenerationJob_batchId_idx" ON "GenerationJob"("batchId");

-- CreateIndex
CREATE INDEX "GenerationJob_status_idx" ON "GenerationJob"("status");

-- CreateIndex
CREATE INDEX "GenerationItem_jobId_status_idx" ON "GenerationItem"("jobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "GenerationItem_jobId_comparisonId_key" ON "GenerationItem"("jobId", "comparisonId");

-- CreateIndex
CREATE INDEX "Dataset_createdAt_idx" ON "Dataset"("createdAt");

-- AddForeignKey
ALTER TABLE "BatchModelVariant" ADD CONSTRAINT "BatchModelVariant_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchModelVariant" ADD CONSTRAINT "BatchModelVariant_modelVariantId_fkey" FOREIGN KEY ("modelVariantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationJob" ADD CONSTRAINT "GenerationJob_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "GenerationJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GenerationItem" ADD CONSTRAINT "GenerationItem_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;
