// ESLint rule `local/no-unconditional-recursion`: a function that calls itself before anything
// could have returned or branched never returns; it fails with "Maximum call stack size
// exceeded" at its first call. No rule of ESLint or typescript-eslint reports it, and TypeScript
// accepts it (a function typed `never` that calls itself type-checks). The rule reads the body's
// statements in order and reports a call of the function itself (by name, or `this.name(...)` in
// a method) that is one of them, awaited, returned or assigned, when no statement before it can
// return, throw or branch. A recursive call behind a condition, in a callback or after a base
// case is not reported.
"use strict";

/** The function's own binding: the variable it is declared or assigned as, or its method name. */
function selfOf(fn) {
    if (fn.type === "FunctionDeclaration" && fn.id) return { kind: "name", name: fn.id.name, fn };
    const parent = fn.parent;
    if (fn.type === "FunctionExpression" && fn.id) return { kind: "name", name: fn.id.name, fn };
    if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier" && parent.init === fn) {
        return { kind: "name", name: parent.id.name, fn };
    }
    if (
        parent?.type === "MethodDefinition" &&
        parent.kind === "method" &&
        !parent.computed &&
        parent.key.type === "Identifier"
    ) {
        return { kind: "method", name: parent.key.name, fn };
    }
    return undefined;
}

/** `e` without the wrappers that do not make a call conditional: await, parentheses, TS casts. */
function unwrap(e) {
    for (;;) {
        if (!e) return e;
        if (e.type === "AwaitExpression" || e.type === "TSAsExpression" || e.type === "TSNonNullExpression")
            e = e.expression ?? e.argument;
        else if (e.type === "TSSatisfiesExpression" || e.type === "TSTypeAssertion") e = e.expression;
        else if (e.type === "UnaryExpression" && e.operator === "void") e = e.argument;
        else return e;
    }
}

/** The expression a statement evaluates unconditionally, when it is one of a simple kind. */
function directExpressions(stmt) {
    switch (stmt.type) {
        case "ExpressionStatement":
            return [stmt.expression];
        case "ReturnStatement":
        case "ThrowStatement":
            return stmt.argument ? [stmt.argument] : [];
        case "VariableDeclaration":
            return stmt.declarations.map((d) => d.init).filter(Boolean);
        default:
            return [];
    }
}

/** Whether a statement before the call could end the function or skip the call. */
function mayLeave(stmt) {
    if (stmt.type !== "ExpressionStatement" && stmt.type !== "VariableDeclaration") return true;
    let found = false;
    const visit = (node) => {
        if (found || !node || typeof node.type !== "string") return;
        if (/Function/.test(node.type) || node.type === "ClassBody") return; // another function's exits are not ours
        if (node.type === "YieldExpression") {
            found = true;
            return;
        }
        for (const [key, value] of Object.entries(node)) {
            if (key === "parent") continue;
            if (Array.isArray(value)) value.forEach(visit);
            else if (value && typeof value === "object") visit(value);
        }
    };
    visit(stmt);
    return found;
}

/** @type {import("eslint").Rule.RuleModule} */
module.exports = {
    meta: {
        type: "problem",
        docs: { description: "Disallow a function that calls itself before it can return or branch" },
        schema: [],
        messages: {
            recursion:
                "'{{name}}' calls itself before it can return or branch: every call recurses until the stack overflows.",
        },
    },
    create(context) {
        const sourceCode = context.sourceCode;

        function isSelfCall(self, expr) {
            const call = unwrap(expr);
            if (call?.type !== "CallExpression") return false;
            const callee = call.callee;
            if (self.kind === "method") {
                return (
                    callee.type === "MemberExpression" &&
                    callee.object.type === "ThisExpression" &&
                    !callee.computed &&
                    callee.property.type === "Identifier" &&
                    callee.property.name === self.name
                );
            }
            if (callee.type !== "Identifier" || callee.name !== self.name) return false;
            // The name must resolve to this function, not to a parameter or local that shadows it.
            const ref = sourceCode.getScope(callee).references.find((r) => r.identifier === callee);
            const def = ref?.resolved?.defs[0];
            if (def?.type === "FunctionName") return def.node === self.fn;
            return def?.type === "Variable" && def.node.init === self.fn;
        }

        function check(fn) {
            const self = selfOf(fn);
            if (!self || fn.generator) return;
            const body = fn.body;
            const statements =
                body.type === "BlockStatement" ? body.body : [{ type: "ReturnStatement", argument: body }];
            for (const stmt of statements) {
                const hit = directExpressions(stmt).find((e) => isSelfCall(self, e));
                if (hit) {
                    context.report({ node: unwrap(hit), messageId: "recursion", data: { name: self.name } });
                    return;
                }
                if (mayLeave(stmt)) return;
            }
        }

        return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
    },
};
