-- AlterTable
ALTER TABLE "Judgement" ADD COLUMN     "revisedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "JudgementRevision" (
    "id" TEXT NOT NULL,
    "judgementId" TEXT NOT NULL,
    "revisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idempotencyKey" TEXT NOT NULL,
    "chosenSide" "Side" NOT NULL,
    "chosenResponseId" TEXT NOT NULL,
    "rejectedResponseId" TEXT NOT NULL,
    "degree" "Degree" NOT NULL,
    "chosenSafety" "SafetyLabel",
    "rejectedSafety" "SafetyLabel",
    "safetyBin" "SafetyBin",

    CONSTRAINT "JudgementRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JudgementRevision_judgementId_revisedAt_idx" ON "JudgementRevision"("judgementId", "revisedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JudgementRevision_judgementId_idempotencyKey_key" ON "JudgementRevision"("judgementId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "JudgementRevision" ADD CONSTRAINT "JudgementRevision_judgementId_fkey" FOREIGN KEY ("judgementId") REFERENCES "Judgement"("id") ON DELETE CASCADE ON UPDATE CASCADE;
