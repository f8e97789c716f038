-- A close is retried after a lost answer (or a crash) with the same
-- idempotency key and must give the same result, while a second close of a
-- closed shift without that key is refused: the key of the close request has
-- to be kept with the shift, as open_key is for the open.
ALTER TABLE "shifts" ADD COLUMN "close_key" TEXT;
CREATE UNIQUE INDEX "shifts_close_key_key" ON "shifts"("close_key");
