// A separate process that closes one shift (DATABASE_URL, SHIFT_ID,
// COUNTED, CLOSE_KEY from the environment) and prints the Z number: the
// crash test kills it with SIGKILL in the middle of the close.
import { systemActor } from "../../src/domain/access.ts";
import { closeShift } from "../../src/domain/shifts.ts";
import { connectDatabase } from "../../src/db/database.ts";

const db = connectDatabase(process.env.DATABASE_URL!, 2);
const { value } = await closeShift({ db, actor: systemActor("close-child") }, { shiftId: Number(process.env.SHIFT_ID), countedCash: process.env.COUNTED, idempotencyKey: process.env.CLOSE_KEY });
console.log(`closed Z ${value.zReport.number}`);
await db.close();
