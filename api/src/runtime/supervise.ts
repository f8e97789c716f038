// Keeps one child process running: restarts it when it dies, with a doubling
// delay, logging why; after too many restarts in a row it gives up and says
// so instead of spinning. The supervisor behind `npm start` (supervisor.ts)
// keeps the API (which runs PostgreSQL) and the web app this way.

/** A running child: how to know it stopped, and how to stop it. */
export interface Running {
  pid: number | undefined;
  /** Resolves with why, when it stops without being asked. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface ChildSpec {
  name: string;
  /** Starts it and resolves once it serves; rejects (with why) if it cannot. */
  start(): Promise<Running>;
}

export interface RestartPolicy {
  /** Restarts in a row before giving up (a child that stayed up `stableMs` starts a new row). */
  maxRestarts: number;
  /** First delay; each further restart in a row waits twice as long. */
  firstDelayMs: number;
  stableMs: number;
}

export const RESTART_POLICY: RestartPolicy = { maxRestarts: 5, firstDelayMs: 500, stableMs: 60_000 };

export interface Supervised {
  current(): Running | undefined;
}

export interface Control {
  stopping(): boolean;
  log(message: string): void;
  /** Called once a child has died too often; the supervisor then stops everything. */
  giveUp(message: string): void;
  /** Waits ms, or less once stopping. */
  sleep(ms: number): Promise<void>;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Starts a child (a failure to start the first time is thrown: bad settings, a
 * busy port) and keeps it running from then on.
 */
export async function supervise(spec: ChildSpec, ctl: Control, policy: RestartPolicy = RESTART_POLICY): Promise<Supervised> {
  let running: Running | undefined = await spec.start();
  let startedAt = Date.now();
  void (async () => {
    let restarts = 0;
    let why = "";
    for (;;) {
      if (running) why = await running.exited;
      running = undefined;
      if (ctl.stopping()) return;
      if (Date.now() - startedAt >= policy.stableMs) restarts = 0;
      if (restarts >= policy.maxRestarts) {
        return ctl.giveUp(
          `${spec.name} stopped again (${why}) after ${restarts} restarts in a row; not restarting it any more. Fix the cause (the messages above say more) and start StoreLite again.`,
        );
      }
      restarts++;
      const delay = policy.firstDelayMs * 2 ** (restarts - 1);
      ctl.log(`${spec.name} stopped (${why}); restarting it in ${(delay / 1000).toFixed(1)} s (restart ${restarts} of ${policy.maxRestarts}).`);
      await ctl.sleep(delay);
      if (ctl.stopping()) return;
      startedAt = Date.now();
      try {
        const started = await spec.start();
        if (ctl.stopping()) return void (await started.stop());
        running = started;
        ctl.log(`${spec.name} is running again${started.pid ? ` (pid ${started.pid})` : ""}.`);
      } catch (err) {
        why = errorText(err);
      }
    }
  })();
  return { current: () => running };
}
