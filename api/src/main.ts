// `npm start`: the database (embedded unless DATABASE_URL is set), then the API
// server with every front door on one port. Ctrl-C stops it all cleanly.
import { createScheduler } from "./backup/schedule.ts";
import { staleBackupWarning } from "./backup/startup.ts";
import { startAlertWorker, type AlertWorker } from "./alerts/worker.ts";
import { openDatabase } from "./db/open.ts";
import { loadEnv } from "./env.ts";
import { lanAddresses } from "./http/edge.ts";
import { createSetupToken } from "./domain/staff.ts";
import { createApp } from "./http/server.ts";
import { startRollupUpkeep } from "./reports/upkeep.ts";

const log = (m: string) => console.log(m);

async function main() {
  const env = loadEnv();
  const opened = await openDatabase(env, log);
  const withWeb = !/^(off|false|0|no)$/i.test(process.env.STORELITE_WEB ?? "");
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  const webUrl = withWeb ? `http://${host.includes(":") ? `[${host}]` : host}:${process.env.WEB_PORT?.trim() || "3000"}` : undefined;
  const app = await createApp({ db: opened.db, env, log: (m) => console.error(m), webUrl });
  const base = await app.listen(env.PORT, env.HOST).catch(async (err: NodeJS.ErrnoException) => {
    await opened.close();
    throw err.code === "EADDRINUSE" ? new Error(`Port ${env.PORT} is already in use; set PORT to another port.`) : err;
  });

  // Low-stock alert delivery runs beside the API in every process (a job goes to one of them).
  let alerts: AlertWorker | undefined;
  if (env.STORELITE_ALERTS) {
    alerts = await startAlertWorker({ db: opened.db, settings: { smtpUrl: env.STORELITE_SMTP_URL, from: env.STORELITE_SMTP_FROM }, log: (m) => console.error(m) });
  }

  // The report rollups: compacted every minute, rebuilt when the shop's time zone changes.
  const rollups = startRollupUpkeep({ db: opened.db, log: (m) => console.error(m) });

  log("");
  log("StoreLite is running:");
  log(`  GraphQL API   ${base}/graphql${env.introspection ? "   (open it in a browser for the GraphiQL sandbox)" : ""}`);
  log(`  REST API      ${base}/items  ${base}/bills`);
  log(`  REST docs     ${base}/docs   (Swagger UI; OpenAPI at ${base}/openapi.json)`);
  log(`  Health        ${base}/health`);
  if (env.HOST === "0.0.0.0" || env.HOST === "::") {
    // Every address: say which ones a device on the shop's network can use (the Host allow-list accepts them).
    for (const address of lanAddresses()) log(`  On the network http://${address}:${env.PORT}/graphql`);
  }
  log(
    env.STORELITE_BACKUP_TIME === "off"
      ? `  Backups       automatic backups are off (STORELITE_BACKUP_TIME=off)`
      : `  Backups       daily at ${env.STORELITE_BACKUP_TIME} into ${env.backupDir} (${env.STORELITE_BACKUP_KEEP_DAILY} daily + ${env.STORELITE_BACKUP_KEEP_WEEKLY} weekly kept)`,
  );
  const warning = await staleBackupWarning(opened.db.pool, env.backupDir).catch(() => undefined);
  if (warning) log(warning);
  // First run: nobody can claim the shop without this one-time token.
  const setup = await createSetupToken(opened.db);
  if (setup) {
    log("");
    log("No staff accounts yet. Create the owner account (works once, on this machine) at:");
    // The web app's own setup page when it runs; the API's plain one otherwise.
    log(`  ${webUrl ?? base.replace("0.0.0.0", "127.0.0.1")}/setup?token=${setup}`);
    log("(Scripted installs: set STORELITE_OWNER_USERNAME and STORELITE_OWNER_PASSWORD instead.)");
  }
  log("Press Ctrl-C to stop.");

  const scheduler = createScheduler({
    pool: opened.db.pool,
    dir: env.backupDir,
    time: env.STORELITE_BACKUP_TIME,
    keepDaily: env.STORELITE_BACKUP_KEEP_DAILY,
    keepWeekly: env.STORELITE_BACKUP_KEEP_WEEKLY,
    log: (m) => console.error(m),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping StoreLite...`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close().catch((e) => console.error(e));
    await scheduler.stop().catch((e) => console.error(e));
    await alerts?.stop().catch((e) => console.error(e));
    await rollups.stop().catch((e) => console.error(e));
    await opened.close().catch((e) => console.error(e));
    log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Started by the supervisor (npm start) with an IPC channel: if the supervisor
  // is gone (killed), nobody would restart or stop us, so stop now.
  if (process.send) process.on("disconnect", () => void stop("supervisor gone"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
