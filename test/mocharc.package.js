// The package checks: `npm pack`, then consumer projects that install the tarball or a git URL
// of the repository (test/package/consumer.test.ts). Run by `npm run test:package` in CI; slow
// (npm installs), so not part of `npm test`.
const base = require("./mocharc.unit.js");

const { suite } = require("./support/mochaSpec.js");

module.exports = {
    ...base,
    spec: suite("test/package/**/*.test.ts"),
    timeout: 900000,
};
