// The runtime layer's keys: Kata shims and chart, the verification Jobs, the admission guard,
// agent-sandbox and tenant namespaces. Pure: SandboxRuntimes and SandboxNamespace check the
// values themselves (componentProblems), under these keys.
import { defaultKataShim } from "../../components/kubernetes/sandboxRuntimesArgs";
import { KataShim } from "../../components/kataShims";
import { AGENT_SANDBOX_KEYS, KATA_CHART_KEYS, configKey } from "./keys";
import { ParseContext, isObject, strip } from "./reader";
import { AdmissionMode, DEFAULTS, StackConfig } from "./types";

type Kata = Pick<StackConfig, "kataShims" | "defaultKataShim" | "kataChart">;

/**
 * The Kata keys; `hasKata` says whether any node runs Kata (else they are refused). Shim names
 * and the default's membership are SandboxRuntimes' to check.
 */
export function parseKata({ p, values, cloud }: ParseContext, hasKata: boolean, noKata: string): Kata {
    // AKS runs one VMM (Cloud Hypervisor): its default shim is clh, kata-deploy's elsewhere.
    const cloudDefaultShim = cloud === undefined ? DEFAULTS.defaultKataShim : defaultKataShim(cloud);
    const kataShims = (p.strList("kataShims", values.kataShims) ?? [cloudDefaultShim]) as KataShim[];
    const kataDefault = (p.str("defaultKataShim", "", values.defaultKataShim) ??
        (kataShims.includes(cloudDefaultShim) ? cloudDefaultShim : kataShims[0])) as KataShim;
    if (!hasKata) {
        for (const k of ["kataShims", "defaultKataShim", "kataChart", "kubernetesDistribution"] as const) {
            if (values[k] !== undefined) p.add(configKey(k), noKata);
        }
    }
    const chartObj = values.kataChart === undefined ? undefined : p.object("kataChart", "", values.kataChart, Object.keys(KATA_CHART_KEYS));
    const kataChart = chartObj && strip({
        repository: p.str("kataChart", ".repository", chartObj.repository),
        name: p.str("kataChart", ".name", chartObj.name),
        version: p.str("kataChart", ".version", chartObj.version),
        caFile: p.str("kataChart", ".caFile", chartObj.caFile),
    });
    return {
        kataShims: hasKata ? kataShims : [],
        defaultKataShim: kataDefault,
        ...(kataChart && hasKata ? { kataChart } : {}),
    };
}

type Verification = Pick<StackConfig, "verifyRuntimes" | "verificationImage" | "verifyTimeoutSeconds">;

export function parseVerification({ p, values }: ParseContext): Verification {
    const verifyRuntimes = p.bool("verifyRuntimes", values.verifyRuntimes) ?? DEFAULTS.verifyRuntimes;
    const verificationImage = p.str("verificationImage", "", values.verificationImage);
    const verifyTimeoutSeconds = p.int("verifyTimeoutSeconds", "", values.verifyTimeoutSeconds);
    if (verifyTimeoutSeconds === 0) p.add(configKey("verifyTimeoutSeconds"), "must be at least 1 (seconds a verification Job may take, scheduling included)");
    return strip({ verifyRuntimes, verificationImage, verifyTimeoutSeconds: verifyTimeoutSeconds || undefined });
}

type Admission = Pick<StackConfig, "admissionMode" | "admissionExemptNamespaces" | "admissionAllowedCsiDrivers" | "admissionAllowHostPorts">;

export function parseAdmission({ p, values }: ParseContext): Admission {
    return {
        admissionMode: (p.oneOf("admissionMode", "", values.admissionMode, Object.values(AdmissionMode)) ?? DEFAULTS.admissionMode) as AdmissionMode,
        admissionExemptNamespaces: p.strList("admissionExemptNamespaces", values.admissionExemptNamespaces) ?? [],
        admissionAllowedCsiDrivers: p.strList("admissionAllowedCsiDrivers", values.admissionAllowedCsiDrivers) ?? [],
        admissionAllowHostPorts: p.bool("admissionAllowHostPorts", values.admissionAllowHostPorts) ?? DEFAULTS.admissionAllowHostPorts,
    };
}

export function parseAgentSandbox({ p, values }: ParseContext): StackConfig["agentSandbox"] {
    const agentObj = values.agentSandbox === undefined ? undefined : p.object("agentSandbox", "", values.agentSandbox, Object.keys(AGENT_SANDBOX_KEYS));
    if (!agentObj) return undefined;
    // Keys of warmPools are RuntimeClass names, which SandboxRuntimes checks.
    const warmObj = agentObj.warmPools === undefined ? undefined
        : isObject(agentObj.warmPools) ? agentObj.warmPools : p.object("agentSandbox", ".warmPools", agentObj.warmPools, []);
    return strip({
        image: p.str("agentSandbox", ".image", agentObj.image, true) ?? "",
        namespaces: p.stringMap("agentSandbox", ".namespaces", agentObj.namespaces),
        createNamespaces: p.bool("agentSandbox", agentObj.createNamespaces, ".createNamespaces"),
        warmPools: warmObj && Object.fromEntries(Object.entries(warmObj).map(([k, v]) => [k, p.int("agentSandbox", `.warmPools["${k}"]`, v) ?? 0])),
        automountServiceAccountToken: p.bool("agentSandbox", agentObj.automountServiceAccountToken, ".automountServiceAccountToken"),
    });
}

/** Each namespace's args are SandboxNamespace's to check (componentProblems). */
export function parseTenantNamespaces({ p, values }: ParseContext): StackConfig["tenantNamespaces"] {
    const raw = values.tenantNamespaces;
    const tenantObj = raw === undefined || raw === null ? undefined : isObject(raw) ? raw : p.object("tenantNamespaces", "", raw, []);
    return tenantObj && Object.fromEntries(
        Object.entries(tenantObj).map(([ns, v]) => {
            if (v !== null && !isObject(v)) p.add(configKey("tenantNamespaces", `["${ns}"]`), `must be a map of SandboxNamespace arguments, {} for the defaults (got ${JSON.stringify(v)})`);
            return [ns, (isObject(v) ? v : {}) as NonNullable<StackConfig["tenantNamespaces"]>[string]];
        }),
    );
}
