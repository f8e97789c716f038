// `npm start`: the database (embedded unless DATABASE_URL is set), then the API
// server with every front door on one port. Ctrl-C stops it all cleanly.
import { openDatabase } from "./db/open.ts";
import { loadEnv } from "./env.ts";
import { createApp } from "./http/server.ts";

const log = (m: string) => console.log(m);

async function main() {
  const env = loadEnv();
  const opened = await openDatabase(env, log);
  const app = await createApp({ db: opened.db, env, log: (m) => console.error(m) });
  const base = await app.listen(env.PORT, env.HOST).catch(async (err: NodeJS.ErrnoException) => {
    await opened.close();
    throw err.code === "EADDRINUSE" ? new Error(`Port ${env.PORT} is already in use; set PORT to another port.`) : err;
  });

  log("");
  log("StoreLite is running:");
  log(`  GraphQL API   ${base}/graphql${env.introspection ? "   (open it in a browser for the GraphiQL sandbox)" : ""}`);
  log(`  REST API      ${base}/items  ${base}/bills`);
  log(`  REST docs     ${base}/docs   (Swagger UI; OpenAPI at ${base}/openapi.json)`);
  log(`  Health        ${base}/health`);
  log("Press Ctrl-C to stop.");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping StoreLite...`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close().catch((e) => console.error(e));
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
