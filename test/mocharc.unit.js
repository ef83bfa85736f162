// The unit suite: `npm test` (with the type-check) or `npm run test:unit` (mocha alone); one
// file: `npm run test:unit -- test/unit/names.test.ts`. Paths are from the repository root,
// where npm runs scripts. Type-checking happens once, in `tsc --noEmit`; mocha only
// transpiles, through the same loader as the offline plan (scripts/register.js: Sucrase, no
// source-map hook).
const { suite } = require("./support/mochaSpec.js");

module.exports = {
    require: ["./scripts/register.js"],
    extension: ["ts"],
    spec: suite("test/unit/**/*.test.ts"),
    reporter: "test/support/reporter.js",
    timeout: 20000,
};
