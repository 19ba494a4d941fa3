-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "contextLlamaTokens" INTEGER,
ADD COLUMN     "promptLlamaTokens" INTEGER;

-- AlterTable
ALTER TABLE "Response" ADD COLUMN     "llamaTokens" INTEGER;
