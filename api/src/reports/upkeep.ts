// Keeps the report rollups fast and in the shop's time zone, beside the API in
// every process: folds the rows the triggers appended (report_rollups_compact,
// one process at a time by an advisory lock) every minute, and rebuilds the
// rollups when the shop's time zone is not the one they were kept in (a changed
// setting or STORELITE_TIME_ZONE). Until then reports read the raw rows, so a
// figure is never wrong, only slower. Sales wait while a rebuild runs.
import type { Database } from "../db/database.ts";
import { systemActor } from "../domain/access.ts";
import { shopTimeZone } from "../domain/shop.ts";

export interface RollupUpkeep {
  stop(): Promise<void>;
}

/** One round: rebuild if the zone moved, else compact. */
export async function upkeepRound(db: Database, log: (m: string) => void): Promise<void> {
  const zone = await shopTimeZone({ db, actor: systemActor("reports") });
  const { rows } = await db.pool.query<{ time_zone: string }>("SELECT time_zone FROM report_rollup_state");
  if (rows[0]?.time_zone !== zone) {
    const started = Date.now();
    log(`reports: rebuilding the report rollups in ${zone} (were ${rows[0]?.time_zone})...`);
    await db.pool.query("SELECT report_rollups_rebuild($1, false)", [zone]);
    log(`reports: rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    await db.pool.query("SELECT report_rollups_compact()");
  }
}

export function startRollupUpkeep(opts: { db: Database; log: (m: string) => void; everyMs?: number }): RollupUpkeep {
  let running: Promise<void> = Promise.resolve();
  const round = () => {
    running = upkeepRound(opts.db, opts.log).catch((err: unknown) => opts.log(`reports: rollup upkeep failed: ${err instanceof Error ? err.message : String(err)}`));
  };
  round();
  const timer = setInterval(round, opts.everyMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
