// Type-checking happens once, in `tsc --noEmit`; mocha only transpiles.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_FILES = "true";

module.exports = {
  require: ["ts-node/register"],
  extension: ["ts"],
  spec: ["test/unit/**/*.test.ts"],
  reporter: "test/support/reporter.js",
  timeout: 20000,
};
