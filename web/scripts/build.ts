// `npm run build` (web): `next build` unless the last build came from the same sources.
import { buildIfStale, buildIsFresh } from "./serve.ts";

if (buildIsFresh()) console.log("The web app build is up to date.");
else await buildIfStale((m) => console.log(m));
