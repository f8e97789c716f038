// Same-origin /backup/download for the "Download a backup" link on /admin:
// streams the API's fresh backup through (never buffered), like /graphql.
export const dynamic = "force-dynamic";

const base = () => (process.env.STORELITE_API_URL || "http://127.0.0.1:4000").replace(/\/+$/, "").replace(/\/graphql$/, "");

export async function GET(): Promise<Response> {
  try {
    const res = await fetch(`${base()}/backup/download`, { cache: "no-store" });
    const headers = new Headers({ "cache-control": "no-store" });
    for (const name of ["content-type", "content-disposition"]) {
      const v = res.headers.get(name);
      if (v) headers.set(name, v);
    }
    return new Response(res.body, { status: res.status, headers });
  } catch {
    return Response.json({ error: { code: "API_UNREACHABLE", message: `The StoreLite API is not reachable at ${base()}.` } }, { status: 502 });
  }
}
