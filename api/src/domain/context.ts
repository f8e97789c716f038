// What every service receives first: the request's handle on the database and
// who is asking. Services hold no state of their own, so any number of
// processes can serve.
import type { Database } from "../db/database.ts";
import type { Actor } from "./access.ts";

export interface ServiceContext {
  db: Database;
  /** Set by the front door from what it authenticated; services call authorize(ctx, ...). */
  actor: Actor;
}
