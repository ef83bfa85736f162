// The Kubernetes objects a stack deploys, read from the offline plan's YAML exactly as a user
// gets them (`npm run plan -- <stack> --out DIR`), so the real API server judges what the
// components emit and not a copy of it.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { KubeClient, KubeObject } from "./kubeClient";
import { ControlPlane, ControlPlaneBinaries } from "./kubeControlPlane";
import { NodeSpec, createNamespace, ensureDefaultServiceAccount, registerNode } from "./kubeNodes";

const ROOT = path.resolve(__dirname, "..", "..");

export interface HelmRelease {
    /** Folder name under `helm/`: the Pulumi resource name of the release. */
    name: string;
    release: Record<string, any>;
    values: Record<string, any>;
}

export interface StackPlan {
    stack: string;
    /** Every Kubernetes object of the plan, in the plan's order. */
    objects: KubeObject[];
    helm: HelmRelease[];
    /** Cloud resources the plan would create (`--out`'s cloud/ folder), in file name order. */
    cloud: PlannedResource[];
}

/** One cloud resource of the plan, as `--out` writes it. */
export interface PlannedResource {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

/** Runs the offline plan of `stack` (a stack name, or the path of a `Pulumi.<name>.yaml`) and reads what it wrote. */
export function planStack(stack: string): StackPlan {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `sandbox-clusters-plan-${path.basename(stack)}-`));
    try {
        execFileSync(
            process.execPath,
            ["--require", path.join(ROOT, "scripts", "register.js"), path.join(ROOT, "plan", "plan.ts"), stack, "--out", out],
            { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
        );
        return readPlan(stack, out);
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
}

export function readPlan(stack: string, dir: string): StackPlan {
    const kubeDir = path.join(dir, "kubernetes");
    const objects = fs.existsSync(kubeDir)
        ? fs.readdirSync(kubeDir).sort().flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(kubeDir, f), "utf8")).map((d) => d.toJS() as KubeObject))
        : [];
    const helmDir = path.join(dir, "helm");
    const helm = fs.existsSync(helmDir)
        ? fs.readdirSync(helmDir).sort().map((name) => ({
              name,
              release: YAML.parse(fs.readFileSync(path.join(helmDir, name, "release.yaml"), "utf8")),
              values: YAML.parse(fs.readFileSync(path.join(helmDir, name, "values.yaml"), "utf8")) ?? {},
          }))
        : [];
    const cloudDir = path.join(dir, "cloud");
    const cloud = fs.existsSync(cloudDir)
        ? (fs.readdirSync(cloudDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".yaml")).sort()
              .map((f) => YAML.parse(fs.readFileSync(path.join(cloudDir, f), "utf8")) as PlannedResource)
        : [];
    return { stack, objects, helm, cloud };
}

/** Objects of one kind. */
export function ofKind(plan: StackPlan, kind: string): KubeObject[] {
    return plan.objects.filter((o) => o.kind === kind);
}

/** The single object of a kind; fails when the plan holds not exactly one. */
export function oneOfKind(plan: StackPlan, kind: string): KubeObject {
    const found = ofKind(plan, kind);
    if (found.length !== 1) throw new Error(`plan ${plan.stack}: expected one ${kind}, found ${found.length}`);
    return found[0];
}

/** Kinds the API server must know before objects that live in them or refer to them. */
const APPLY_FIRST = ["Namespace", "ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "RuntimeClass", "ValidatingAdmissionPolicy"];

/**
 * Applies every object of the plan (server-side apply), namespaces and classes first, and gives
 * each planned namespace its `default` ServiceAccount (a controller's job; none runs here). Jobs
 * are applied too; with no controller-manager running they never start pods.
 */
export async function applyPlan(client: KubeClient, plan: StackPlan): Promise<void> {
    const rank = (o: KubeObject) => {
        const i = APPLY_FIRST.indexOf(o.kind);
        return i === -1 ? APPLY_FIRST.length : i;
    };
    const ordered = plan.objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
    for (const { o } of ordered) {
        if (!o.metadata?.name) throw new Error(`plan ${plan.stack}: a ${o.kind} has no metadata.name`);
        await client.apply(o);
        if (o.kind === "Namespace") await ensureDefaultServiceAccount(client, o.metadata.name);
    }
}


/**
 * A control plane with `nodes` registered, the stack's plan applied and an empty namespace
 * `appsNamespace` for the test's own pods: the cluster the isolation suites judge a plan on.
 */
export async function startWithPlan(
    bin: ControlPlaneBinaries,
    plan: StackPlan,
    nodes: readonly NodeSpec[],
    appsNamespace: string,
): Promise<ControlPlane> {
    const cp = await ControlPlane.start(bin);
    for (const n of nodes) await registerNode(cp.admin, n);
    await applyPlan(cp.admin, plan);
    await createNamespace(cp.admin, appsNamespace);
    return cp;
}
