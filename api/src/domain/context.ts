// What every service receives first: the request's handle on the database.
// Services hold no state of their own, so any number of processes can serve.
import type { Database } from "../db/database.ts";

export interface ServiceContext {
  db: Database;
}
