// Builds the GraphQL sandbox's browser bundle (GraphiQL 5 + React + Monaco and
// its workers) from node_modules with esbuild, once, into a cache directory
// keyed by the package versions and our client sources — so it works offline
// and a rebuild happens only when something it depends on changes.
import crypto from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../env.ts";

const clientDir = path.join(import.meta.dirname, "client");
const requireFromClient = createRequire(path.join(clientDir, "graphiql-app.js"));

const ENTRIES = {
  graphiql: "graphiql-app.js",
  "editor.worker": "editor.worker.js",
  "json.worker": "json.worker.js",
  "graphql.worker": "graphql.worker.js",
};
const PACKAGES = ["graphiql", "@graphiql/react", "@graphiql/toolkit", "monaco-editor", "monaco-graphql", "react", "react-dom", "graphql", "esbuild"];

function versionOf(name: string): string {
  try {
    return (JSON.parse(readFileSync(requireFromClient.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

/** Identifies one build: changes when a bundled package or a client file changes. */
export function bundleKey(): string {
  const hash = crypto.createHash("sha256");
  for (const name of PACKAGES) hash.update(`${name}@${versionOf(name)}\n`);
  for (const file of readdirSync(clientDir).sort()) hash.update(file).update(readFileSync(path.join(clientDir, file)));
  return hash.digest("hex").slice(0, 16);
}

export interface Bundle {
  key: string;
  dir: string;
  /** File names in dir that may be served. */
  files: Set<string>;
}

const defaultCacheRoot = () => path.join(projectRoot, "node_modules", ".cache", "storelite");

/**
 * Returns the bundle, building it first if this key has not been built yet.
 * Builds into a temporary directory and renames it, so concurrent processes
 * never serve a half-written bundle.
 */
export async function ensureBundle(cacheRoot = defaultCacheRoot(), log: (m: string) => void = () => {}): Promise<Bundle> {
  const key = bundleKey();
  let dir = path.join(cacheRoot, `graphiql-${key}`);
  if (!existsSync(path.join(dir, "graphiql.js"))) {
    const started = Date.now();
    // A read-only node_modules (e.g. in a container image) falls back to the temp directory.
    await mkdir(cacheRoot, { recursive: true }).catch(async () => {
      cacheRoot = path.join(os.tmpdir(), "storelite-cache");
      dir = path.join(cacheRoot, `graphiql-${key}`);
      await mkdir(cacheRoot, { recursive: true });
    });
    const tmp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    const { build } = await import("esbuild");
    try {
      await build({
        entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, file]) => [out, path.join(clientDir, file)])),
        bundle: true,
        format: "esm",
        minify: true,
        target: "es2022",
        outdir: tmp,
        define: { "process.env.NODE_ENV": '"production"' },
        loader: { ".ttf": "file", ".woff": "file", ".woff2": "file" },
        logLevel: "error",
      });
      await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
        if (!existsSync(path.join(dir, "graphiql.js"))) throw err; // another process finished first otherwise
      });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    log(`GraphQL sandbox bundled in ${Date.now() - started} ms (${dir})`);
  }
  return { key, dir, files: new Set(readdirSync(dir)) };
}
