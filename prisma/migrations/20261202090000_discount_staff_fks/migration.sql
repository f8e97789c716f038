-- Who gave a discount and who approved it over the limit are staff members:
-- foreign keys make the bill's record of them trustworthy. RESTRICT, because a
-- bill is a document that is never edited: staff who approved discounts are
-- deactivated, not deleted.

-- Ids of staff rows that no longer exist cannot be kept under a foreign key
-- (none arise through StoreLite: both columns were only written from signed-in staff).
UPDATE "bills" b SET "discount_requested_by" = NULL
 WHERE "discount_requested_by" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "staff" s WHERE s."id" = b."discount_requested_by");
UPDATE "bills" b SET "discount_approved_by" = NULL
 WHERE "discount_approved_by" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "staff" s WHERE s."id" = b."discount_approved_by");

-- AddForeignKey
ALTER TABLE "bills" ADD CONSTRAINT "bills_discount_requested_by_fkey" FOREIGN KEY ("discount_requested_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "bills" ADD CONSTRAINT "bills_discount_approved_by_fkey" FOREIGN KEY ("discount_approved_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
