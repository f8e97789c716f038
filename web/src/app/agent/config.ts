// Where the /agent page's ChatKit talks to, read on the server at request time
// (so one build serves any API): NEXT_PUBLIC_CHATKIT_API_URL and
// NEXT_PUBLIC_CHATKIT_DOMAIN_KEY, defaulting to this app's own /agent/chatkit
// (forwarded to the API's /chatkit) and a localhost placeholder key.
export const CHATKIT_SCRIPT_URL = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js";
export const DEFAULT_DOMAIN_KEY = "domain_pk_localhost_dev";

// Read by computed name so Next does not inline the build machine's value.
const env = (name: string) => process.env[name]?.trim() || undefined;

export function chatkitConfig() {
  return {
    url: env(["NEXT", "PUBLIC", "CHATKIT", "API", "URL"].join("_")) ?? "/agent/chatkit",
    domainKey: env(["NEXT", "PUBLIC", "CHATKIT", "DOMAIN", "KEY"].join("_")) ?? DEFAULT_DOMAIN_KEY,
  };
}

/** The API server's base address; STORELITE_API_URL may also be given as its /graphql URL. */
export const apiUrl = () => (process.env.STORELITE_API_URL || "http://127.0.0.1:4000").replace(/\/+$/, "").replace(/\/graphql$/, "");
