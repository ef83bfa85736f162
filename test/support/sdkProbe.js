// `node --require test/support/sdkProbe.js ...`: on exit, writes "[SDK loaded]" to stderr when
// the process loaded the Pulumi SDK. Tests use it to prove a command answered before loading it.
"use strict";
process.on("exit", () => {
    if (Object.keys(require.cache).some((f) => f.endsWith("/@pulumi/pulumi/index.js"))) process.stderr.write("[SDK loaded]\n");
});
