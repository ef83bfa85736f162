// Kubernetes OpenAPI schema validation through npm `kubernetes-models` (ESM-only, so loaded
// with a real dynamic import that TypeScript's CommonJS output would otherwise rewrite).
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a real import(), which tsc's CommonJS output would turn into require()
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;

/**
 * Validates a Kubernetes object against the schema of its apiVersion and kind; throws with
 * the schema's complaint when it does not conform, or when the library has no such model.
 */
export async function validateObject(obj: { apiVersion: string; kind: string }): Promise<void> {
    const mod = await esmImport(`kubernetes-models/${obj.apiVersion}`);
    const Model = mod[obj.kind];
    if (!Model) throw new Error(`kubernetes-models has no ${obj.apiVersion} ${obj.kind}`);
    new Model(obj).validate();
}
