// Monaco's language workers, bundled beside the app and loaded from this server.
const base = JSON.parse(document.getElementById("sandbox-config").textContent).assets;

globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === "json" ? "json.worker" : label === "graphql" ? "graphql.worker" : "editor.worker";
    return new Worker(`${base}/${name}.js`, { type: "module" });
  },
};
