-- AlterTable
ALTER TABLE "Judgement" ADD COLUMN     "vendorId" TEXT;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "Vendor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Judgements made before this migration: the annotator's vendor now is the best record of it.
UPDATE "Judgement" j SET "vendorId" = u."vendorId" FROM "User" u WHERE u.id = j."annotatorId" AND u."vendorId" IS NOT NULL;
