// Types of build.mjs for the TypeScript that imports it (the supervisor, test setup, the web app's scripts).
export declare const rootDir: string;
export declare const distDir: string;
export declare const ENTRIES: Record<"api" | "cli" | "mcp-stdio" | "mcp-http" | "supervisor", string>;
export declare function distFile(name: keyof typeof ENTRIES): string;
export declare function serversAreFresh(): boolean;
export declare function buildServers(log?: (m: string) => void): Promise<void>;
export declare function webSourceHash(): string;
export declare const webServerFile: string;
export declare function webIsFresh(): boolean;
export declare function buildWeb(log?: (m: string) => void): Promise<void>;
export declare function ensureBuilt(options?: { web?: boolean; force?: boolean; log?: (m: string) => void }): Promise<void>;
