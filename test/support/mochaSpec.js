// Mocha adds the files named on its command line to a config's `spec`, so `npx mocha --config
// test/mocharc.integration.js test/integration/kube/guard.test.ts` would run the whole suite. Each
// mocha config names its suite through `suite()`: the suite's glob when no test file is given,
// nothing (just the files given) when one is.
const filesGiven = process.argv.slice(2).some((a) => !a.startsWith("-") && /\.test\.[jt]s$/.test(a));

exports.suite = (glob) => (filesGiven ? [] : [glob]);
