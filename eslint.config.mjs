// ESLint with typescript-eslint's type-aware rules: the types come from tsconfig.json, the same
// program `tsc --noEmit` checks. Formatting is Prettier's alone (.prettierrc.json): every rule
// here is about a bug, none about style. On top of ESLint's and typescript-eslint's recommended
// sets (unreachable code, duplicate keys, unused variables, `any` flowing into typed code...):
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import noUnconditionalRecursion from "./scripts/eslint/noUnconditionalRecursion.js";

export default tseslint.config(
    {
        ignores: ["bin/**", "node_modules/**", "test/golden/**", "test/typecheck/**", "**/node_modules/**"],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
        },
        linterOptions: { reportUnusedDisableDirectives: "error" },
        plugins: { local: { rules: { "no-unconditional-recursion": noUnconditionalRecursion } } },
        rules: {
            // A function that calls itself before it can return (skipOrFail did): scripts/eslint/.
            "local/no-unconditional-recursion": "error",
            // Promises: every one awaited or handled, none passed where a callback's result is ignored.
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            "@typescript-eslint/return-await": ["error", "in-try-catch"],
            // Conditions the types say are always or never true: dead branches, `?.` on what cannot be undefined.
            "@typescript-eslint/no-unnecessary-condition": ["error", { allowConstantLoopConditions: true }],
            // A switch over a union or enum handles every member.
            "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
            // Errors are Errors, with a stack and a message, whether thrown or rejected.
            "@typescript-eslint/only-throw-error": "error",
            "@typescript-eslint/prefer-promise-reject-errors": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
            // A name that hides an outer one is read as the outer one.
            "@typescript-eslint/no-shadow": "error",
            // == converts; `== null` (null or undefined) is the one comparison where that is meant.
            eqeqeq: ["error", "always", { null: "ignore" }],
            "no-self-compare": "error",
            "no-unreachable-loop": "error",
            "no-constant-binary-expression": "error",
        },
    },
    {
        // Tests and benchmarks read parsed documents (plans, manifests, API answers, JSON reports)
        // as `any` and assert on their shape; typing each document would add no check the
        // assertions do not make. They also index those documents, records and regex matches
        // defensively (`record[key]?.x`, `match[1] ?? ""`), which no-unnecessary-condition calls
        // unnecessary because tsconfig.json has no noUncheckedIndexedAccess (turning it on
        // reports 400 places today, 320 of them in test/ and bench/). Product code (components,
        // stacks, plan, provider, scripts) is held to all of these rules.
        files: ["test/**/*.ts", "bench/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unnecessary-condition": "off",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        files: ["test/**/*.ts"],
        languageOptions: { globals: globals.mocha },
    },
    {
        // Plain JavaScript (the loader, mocha's configs and helpers): not in tsconfig.json, so no types.
        files: ["**/*.js", "**/*.mjs"],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: {
            ...tseslint.configs.disableTypeChecked.languageOptions,
            globals: globals.node,
            sourceType: "commonjs",
        },
        rules: {
            ...tseslint.configs.disableTypeChecked.rules,
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        files: ["eslint.config.mjs"],
        languageOptions: { sourceType: "module" },
    },
);
