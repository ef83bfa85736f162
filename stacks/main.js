// `pulumi up`'s entry (`main` in Pulumi.yaml): the program's TypeScript, loaded the way the
// offline plan loads it (register.js: transpiled by Sucrase, no type-check and no source-map
// hook at start-up; `npm test` type-checks).
require("../scripts/register");
module.exports = require("./index.ts");
