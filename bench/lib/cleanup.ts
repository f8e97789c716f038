// Every bench owns processes (PostgreSQL, the API) that must not outlive it:
// cleanups run in reverse order on success, on an error and on Ctrl-C/SIGTERM.
type Cleanup = { name: string; fn: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
let running: Promise<void> | undefined;

export function onCleanup(name: string, fn: () => Promise<void> | void): void {
  cleanups.push({ name, fn });
}

export function cleanupAll(): Promise<void> {
  running ??= (async () => {
    while (cleanups.length) {
      const c = cleanups.pop()!;
      try {
        await c.fn();
      } catch (err) {
        console.error(`cleanup "${c.name}" failed: ${(err as Error).message}`);
      }
    }
  })();
  return running;
}

/** Runs a bench body; whatever happens, stops everything it started. */
export function runBench(body: () => Promise<void>): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return; // a second Ctrl-C while cleaning up is ignored: cleanup is bounded
    signalled = true;
    console.error(`\n${signal}: stopping everything the bench started...`);
    const force = setTimeout(() => process.exit(130), 30_000);
    force.unref();
    void cleanupAll().then(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  body()
    .catch((err: unknown) => {
      // After Ctrl-C the terminal's SIGINT also ends pgbench mid-run: that failure is expected.
      if (!signalled) console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = signalled ? 130 : 1;
    })
    .finally(async () => {
      await cleanupAll();
      // autocannon/pg may keep handles open; the bench is done.
      process.exit(process.exitCode ?? 0);
    });
}
