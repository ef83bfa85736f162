// Integration tests: real binaries (Go-built gVisor, containerd, Kubernetes parts). Same
// transpile-only setup and reporter as the unit suite; run by `npm run test:integration`.
const base = require("./.mocharc.js");

const { suite } = require("./test/support/mochaSpec.js");

module.exports = {
  ...base,
  spec: suite("test/integration/**/*.test.ts"),
  timeout: 600000,
};
