// Imported first by the stdio entry: stdout carries the MCP protocol, so any
// console output from StoreLite or a library is sent to stderr instead.
for (const method of ["log", "info", "debug", "warn"] as const) console[method] = console.error;
