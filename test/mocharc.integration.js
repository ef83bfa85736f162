// Integration tests: real binaries (Go-built gVisor, containerd, Kubernetes parts). Same
// transpile-only setup and reporter as the unit suite; run by `npm run test:integration`, one
// file by `npm run test:integration -- test/integration/kube/guard.test.ts`.
const base = require("./mocharc.unit.js");

const { suite } = require("./support/mochaSpec.js");

module.exports = {
    ...base,
    spec: suite("test/integration/**/*.test.ts"),
    timeout: 600000,
};
