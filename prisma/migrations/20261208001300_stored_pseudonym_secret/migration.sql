-- Pseudonyms no longer derive from the session secret: a saved dataset keeps the key its pseudonyms were made
-- with, and without PSEUDONYM_SECRET the platform generates one key once and keeps it here.
-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "pseudonymSecret" TEXT;

-- CreateTable
CREATE TABLE "PlatformSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlatformSecret_pkey" PRIMARY KEY ("name")
);
