// The lint rule that would have caught skipOrFail calling itself (01f690f fixed it): run by
// ESLint's RuleTester, which registers one mocha test per case.
import { RuleTester } from "eslint";
import * as tseslint from "typescript-eslint";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule is CommonJS, loaded as ESLint loads it
const rule = require("../../../scripts/eslint/noUnconditionalRecursion.js");

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser as never } });

const error = (name: string) => ({ messageId: "recursion", data: { name } });

describe("local/no-unconditional-recursion", () => {
    tester.run("no-unconditional-recursion", rule, {
        valid: [
            // A base case before the recursive call.
            "function depth(n: number): number { if (n === 0) return 0; return 1 + depth(n - 1); }",
            "function walk(d: string[]): void { for (const x of d) walk([x]); }",
            // Recursion behind a condition, in a callback, or on another function.
            "function f(x: boolean): void { x && f(!x); }",
            "function f(xs: number[][]): number[] { return xs.flatMap((x) => f([x])); }",
            "function f(): void { g(); } function g(): void { f(); }",
            // A parameter that shadows the function's name is another function.
            "function f(f: () => void): void { f(); }",
            // The fixed skipOrFail: it throws or skips before anything else.
            `function skipOrFail(ctx: Mocha.Context, message: string): never {
                if (process.env.SANDBOX_REQUIRE_REAL === "1") throw new Error(message);
                console.log(message);
                return ctx.skip();
            }`,
            "class A { run(): void { if (this.done) return; this.run(); } done = true; }",
            "function* gen(): Generator<number> { yield 1; yield* gen(); }",
        ],
        invalid: [
            // skipOrFail as 6a25221 left it.
            {
                code: "export function skipOrFail(ctx: Mocha.Context, message: string): never {\n    skipOrFail(ctx, message);\n}",
                errors: [error("skipOrFail")],
            },
            { code: "function f(n: number): number { return f(n); }", errors: [error("f")] },
            { code: "async function f(): Promise<void> { const x = 1; await f(); }", errors: [error("f")] },
            { code: "const f = (n: number): number => f(n + 1);", errors: [error("f")] },
            { code: "const f = function (): void { void f(); };", errors: [error("f")] },
            { code: "const f = (x: unknown) => { const y = f(x) as number; return y; };", errors: [error("f")] },
            { code: "class A { run(): void { this.run(); } }", errors: [error("run")] },
        ],
    });
});
