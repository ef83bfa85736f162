// How the program's TypeScript runs: `node --require ./scripts/register.js <file.ts>` (the
// offline plan, the unit tests) and stacks/main.js (`pulumi up`). Three things, all for
// start-up time; none changes what the program does:
//
// 1. `.ts` files are transpiled by Sucrase, which only strips types and rewrites imports. It
//    keeps every line where it was, so stack traces point at the right TypeScript line with
//    no source map, and it installs no stack-trace hook. (ts-node installs source-map-support,
//    which maps every `new Error().stack`; Pulumi takes one per resource and several per
//    output, and that mapping was about 40 % of an offline plan.) Type-checking is
//    `tsc --noEmit`'s job, in `npm test`.
// 2. Transpiled files are cached by content under node_modules/.cache/sandbox-clusters/ts, so a
//    second run loads plain JavaScript without loading Sucrase at all.
// 3. When this file loads before @pulumi/pulumi, the SDK's function-serialization dependencies
//    (TypeScript's compiler, npm's Arborist and their helpers: about 0.6 s of CPU at every
//    start) load on first use instead. The SDK requires them at start-up but uses them only
//    to serialize functions (dynamic providers, `pulumi.runtime.serializeFunction`), which
//    this program never does; touching one loads the real module.
"use strict";
const { createHash } = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

// ---- 3. Deferred SDK dependencies

/** Puts a stand-in for `request` (resolved from `fromDir`) in the module cache; touching it loads the real module. */
function deferLoad(request, fromDir) {
    let file;
    try {
        file = require.resolve(request, { paths: [fromDir] });
    } catch {
        return; // not where this SDK version keeps it: nothing to defer
    }
    if (require.cache[file]) return; // already loaded: nothing left to save
    let real;
    const load = () => {
        if (real === undefined) {
            if (require.cache[file] === stub) delete require.cache[file];
            real = require(file);
        }
        return real;
    };
    const stub = new Module(file, null);
    stub.filename = file;
    stub.paths = Module._nodeModulePaths(path.dirname(file));
    stub.loaded = true;
    // An arrow function as target: callable (a module may export a function) and with no
    // non-configurable own keys that would constrain `ownKeys`.
    stub.exports = new Proxy(() => undefined, {
        get: (_, key) => {
            // TypeScript's `__importStar`/`__importDefault` helpers pass an `__esModule` object
            // through untouched instead of copying (and so loading) it; `default` then has to
            // be what `__importDefault` would have made of a CommonJS module: the module itself.
            if (key === "__esModule") return true;
            const m = load();
            return key === "default" && !m.__esModule ? m : Reflect.get(m, key);
        },
        set: (_, key, value) => Reflect.set(load(), key, value),
        has: (_, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const d = Reflect.getOwnPropertyDescriptor(load(), key);
            return d && { ...d, configurable: true };
        },
        apply: (_, self, args) => Reflect.apply(load(), self, args),
    });
    require.cache[file] = stub;
}

let sdkDir;
try {
    sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [__dirname] }));
} catch {
    sdkDir = undefined;
}
if (sdkDir) {
    deferLoad("./typescript-shim", sdkDir);
    const closure = path.join(sdkDir, "runtime", "closure");
    for (const dep of ["@npmcli/arborist", "normalize-package-data", "fdir", "upath"]) deferLoad(dep, closure);
}

// ---- 1 and 2. TypeScript through Sucrase, cached

const SUCRASE_OPTIONS = { transforms: ["typescript", "imports"] };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "sandbox-clusters", "ts");
let sucrase;
let cacheSalt;

function transpile(source, filename) {
    cacheSalt ??= `${require("sucrase/package.json").version}\0${JSON.stringify(SUCRASE_OPTIONS)}\0`;
    const key = createHash("sha256").update(cacheSalt).update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // not cached yet
    }
    sucrase ??= require("sucrase");
    const code = sucrase.transform(source, { ...SUCRASE_OPTIONS, filePath: filename }).code;
    try {
        // Write-then-rename: parallel test processes never read a half-written file.
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const tmp = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, cached);
    } catch {
        // a read-only checkout still runs, uncached
    }
    return code;
}

Module._extensions[".ts"] = function loadTypeScript(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
