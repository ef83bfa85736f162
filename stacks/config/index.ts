// The program's stack configuration: which keys there are (keys.ts), what parsing them yields
// (types.ts), and the parser (parse.ts, with a file per cloud, the pools and the runtime layer).
export * from "./keys";
export * from "./types";
export { formatProblems, parseStackConfig } from "./parse";
export type { ParseResult } from "./parse";
