-- CreateEnum
CREATE TYPE "Role" AS ENUM ('annotator', 'admin', 'researcher');

-- CreateEnum
CREATE TYPE "BatchFocus" AS ENUM ('helpfulness', 'safety');

-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('draft', 'active', 'paused', 'closed');

-- CreateEnum
CREATE TYPE "PromptSource" AS ENUM ('imported', 'annotator_written');

-- CreateEnum
CREATE TYPE "Degree" AS ENUM ('significantly_better', 'better', 'slightly_better', 'negligibly_better_or_unsure');

-- CreateEnum
CREATE TYPE "SafetyLabel" AS ENUM ('safe', 'unsafe');

-- CreateEnum
CREATE TYPE "SafetyBin" AS ENUM ('chosen_safe_rejected_unsafe', 'both_safe', 'both_unsafe', 'chosen_unsafe_rejected_safe');

-- CreateEnum
CREATE TYPE "Side" AS ENUM ('left', 'right');

-- CreateEnum
CREATE TYPE "AssignmentStatus" AS ENUM ('leased', 'submitted', 'skipped');

-- CreateEnum
CREATE TYPE "SkipReason" AS ENUM ('unclear_prompt', 'outside_expertise', 'broken_responses', 'offensive_content', 'other');

-- CreateEnum
CREATE TYPE "RiskCategory" AS ENUM ('illicit_and_criminal_activities', 'hateful_and_harmful_activities', 'unqualified_advice');

-- CreateEnum
CREATE TYPE "AttackVector" AS ENUM ('psychological_manipulation', 'logic_manipulation', 'syntactic_manipulation', 'semantic_manipulation', 'perspective_manipulation', 'non_english', 'other');

-- CreateEnum
CREATE TYPE "ImportFormat" AS ENUM ('pairwise', 'hh_rlhf', 'prompts');

-- CreateTable
CREATE TABLE "Vendor" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Vendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "vendorId" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVariant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '',
    "baseUrl" TEXT,
    "modelId" TEXT,
    "apiKeyEnv" TEXT,
    "defaultSampling" JSONB NOT NULL DEFAULT '{}',
    "temperatureMin" DOUBLE PRECISION,
    "temperatureMax" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Batch" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "focus" "BatchFocus" NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'draft',
    "overlap" INTEGER NOT NULL DEFAULT 1,
    "requireSafety" BOOLEAN NOT NULL DEFAULT false,
    "promptSource" "PromptSource" NOT NULL DEFAULT 'imported',
    "maxTurns" INTEGER NOT NULL DEFAULT 1,
    "leaseSeconds" INTEGER NOT NULL DEFAULT 900,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuidelineVersion" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "markdown" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuidelineVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchImport" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "format" "ImportFormat" NOT NULL,
    "lines" INTEGER NOT NULL,
    "imported" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BatchImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dialogue" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Dialogue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "batchId" TEXT NOT NULL,
    "dialogueId" TEXT NOT NULL,
    "turnIndex" INTEGER NOT NULL DEFAULT 0,
    "context" JSONB NOT NULL DEFAULT '[]',
    "prompt" TEXT NOT NULL,
    "riskCategory" "RiskCategory",
    "attackVector" "AttackVector",
    "tags" JSONB NOT NULL DEFAULT '{}',
    "gold" JSONB,
    "sourceMetadata" JSONB,
    "contentSha256" TEXT NOT NULL,
    "continuedWithResponseId" TEXT,
    "importId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Comparison_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "modelVariantId" TEXT NOT NULL,
    "sampling" JSONB NOT NULL DEFAULT '{}',
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "latencyMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assignment" (
    "id" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "leftResponseId" TEXT NOT NULL,
    "rightResponseId" TEXT NOT NULL,
    "status" "AssignmentStatus" NOT NULL DEFAULT 'leased',
    "leasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseExpiresAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "skipReason" "SkipReason",
    "skipNote" TEXT,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Judgement" (
    "id" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "annotatorId" TEXT NOT NULL,
    "chosenResponseId" TEXT NOT NULL,
    "rejectedResponseId" TEXT NOT NULL,
    "chosenSide" "Side" NOT NULL,
    "degree" "Degree" NOT NULL,
    "chosenSafety" "SafetyLabel",
    "rejectedSafety" "SafetyLabel",
    "safetyBin" "SafetyBin",
    "timeSpentMs" INTEGER NOT NULL,
    "guidelineVersionId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Judgement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Vendor_name_key" ON "Vendor"("name");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVariant_name_version_key" ON "ModelVariant"("name", "version");

-- CreateIndex
CREATE INDEX "Batch_status_createdAt_idx" ON "Batch"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GuidelineVersion_batchId_version_key" ON "GuidelineVersion"("batchId", "version");

-- CreateIndex
CREATE INDEX "BatchImport_batchId_idx" ON "BatchImport"("batchId");

-- CreateIndex
CREATE INDEX "Dialogue_batchId_idx" ON "Dialogue"("batchId");

-- CreateIndex
CREATE INDEX "Comparison_batchId_seq_idx" ON "Comparison"("batchId", "seq");

-- CreateIndex
CREATE INDEX "Comparison_batchId_contentSha256_idx" ON "Comparison"("batchId", "contentSha256");

-- CreateIndex
CREATE INDEX "Comparison_dialogueId_turnIndex_idx" ON "Comparison"("dialogueId", "turnIndex");

-- CreateIndex
CREATE UNIQUE INDEX "Comparison_seq_key" ON "Comparison"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "Response_comparisonId_slot_key" ON "Response"("comparisonId", "slot");

-- CreateIndex
CREATE INDEX "Assignment_annotatorId_status_idx" ON "Assignment"("annotatorId", "status");

-- CreateIndex
CREATE INDEX "Assignment_comparisonId_status_idx" ON "Assignment"("comparisonId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Assignment_comparisonId_annotatorId_key" ON "Assignment"("comparisonId", "annotatorId");

-- CreateIndex
CREATE UNIQUE INDEX "Judgement_assignmentId_key" ON "Judgement"("assignmentId");

-- CreateIndex
CREATE INDEX "Judgement_comparisonId_idx" ON "Judgement"("comparisonId");

-- CreateIndex
CREATE INDEX "Judgement_createdAt_idx" ON "Judgement"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Judgement_annotatorId_idempotencyKey_key" ON "Judgement"("annotatorId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "AuditEntry_entityType_entityId_idx" ON "AuditEntry"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "AuditEntry_createdAt_idx" ON "AuditEntry"("createdAt");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuidelineVersion" ADD CONSTRAINT "GuidelineVersion_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchImport" ADD CONSTRAINT "BatchImport_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dialogue" ADD CONSTRAINT "Dialogue_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dialogue" ADD CONSTRAINT "Dialogue_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_dialogueId_fkey" FOREIGN KEY ("dialogueId") REFERENCES "Dialogue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Comparison" ADD CONSTRAINT "Comparison_importId_fkey" FOREIGN KEY ("importId") REFERENCES "BatchImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_modelVariantId_fkey" FOREIGN KEY ("modelVariantId") REFERENCES "ModelVariant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_annotatorId_fkey" FOREIGN KEY ("annotatorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_guidelineVersionId_fkey" FOREIGN KEY ("guidelineVersionId") REFERENCES "GuidelineVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
