// The admission guard's rejection texts, spelled out once for the unit and integration suites
// (written here by hand, not taken from the component, so a changed message fails the tests).
import { formatTaint, sandboxTaints } from "../../components/isolation";

/** How the messages name the settings that relax a rule: the program's config keys, or SandboxRuntimes' args. */
export interface SettingNames {
    exemptNamespaces: string;
    allowHostPorts: string;
    allowedCsiDrivers: string;
}
/** The names of a guard the program deployed (`sandbox:` stack config keys). */
export const PROGRAM_SETTINGS: SettingNames = {
    exemptNamespaces: "stack config sandbox:admissionExemptNamespaces",
    allowHostPorts: "stack config sandbox:admissionAllowHostPorts",
    allowedCsiDrivers: "stack config sandbox:admissionAllowedCsiDrivers",
};
/** The names of a guard SandboxRuntimes deployed with its defaults (a library user's). */
export const COMPONENT_SETTINGS: SettingNames = {
    exemptNamespaces: "SandboxRuntimes arg admission.exemptNamespaces",
    allowHostPorts: "SandboxRuntimes arg admission.allowHostPorts",
    allowedCsiDrivers: "SandboxRuntimes arg admission.allowedCsiDrivers",
};

/** Every sandbox node taint, as the toleration rule lists them. */
export const SANDBOX_TAINTS = sandboxTaints().map(formatTaint).join(", ");

export function tolerationRule(namespace: string, classes: readonly string[], names: SettingNames = PROGRAM_SETTINGS): string {
    return (
        `rule sandbox-toleration: a toleration matches a sandbox node taint (${SANDBOX_TAINTS}) but runtimeClassName is not a sandbox RuntimeClass (${classes.join(", ")}); ` +
        `a node agent that must run on every node belongs in an exempt namespace: add ${namespace} to ${names.exemptNamespaces}`
    );
}
export const HOST_NAMESPACES_RULE = "rule sandbox-host-namespaces: sandboxed pods must not use hostNetwork, hostPID or hostIPC";
export const PRIVILEGED_RULE = "rule sandbox-privileged: sandboxed pods must not run privileged containers (containers, initContainers, ephemeralContainers)";
export const HOST_PATH_RULE = "rule sandbox-host-path: sandboxed pods must not mount hostPath volumes";
/** The volume-types rule, with the CSI drivers the guard allows (none by default). */
export function volumeTypesRule(drivers: readonly string[] = [], names: SettingNames = PROGRAM_SETTINGS): string {
    return (
        "rule sandbox-volume-types: sandboxed pods may mount only configMap, secret, downwardAPI, projected, emptyDir, persistentVolumeClaim, ephemeral volumes, " +
        `and csi volumes of allowed drivers (${drivers.length > 0 ? drivers.join(", ") : "none"}; allow one with ${names.allowedCsiDrivers}): ` +
        "the node mounts any other volume (flexVolume, nfs, iscsi, rbd, image...) outside the sandbox"
    );
}
export function hostPortsRule(names: SettingNames = PROGRAM_SETTINGS): string {
    return `rule sandbox-host-ports: sandboxed pods must not use hostPort (it exposes the node's address); allow it with ${names.allowHostPorts}`;
}
export const NODE_NAME_RULE =
    "rule node-name: pods may set spec.nodeName (which bypasses the scheduler and the sandbox nodes' NoSchedule taints) only with a sandbox RuntimeClass; " +
    "debug a node from kube-system (kubectl debug node/<name> -n kube-system)";
export function namespaceRuntimeRule(cls: string, label = "sandbox-clusters.io/require-runtime"): string {
    return `rule namespace-runtime: the namespace admits only runtimeClassName ${cls} (namespace label ${label})`;
}

/** The guard's message for a namespaced object: the namespace, then every broken rule. */
export function guardMessage(namespace: string, ...rules: string[]): string {
    return `namespace ${namespace}: ${rules.join("; ")}`;
}
export function claimsRule(label = "sandbox-clusters.io/require-runtime"): string {
    return (
        "rule sandbox-claims: sandboxed pods may use persistentVolumeClaim, ephemeral or claim-template volumes only in a sandbox tenant namespace " +
        `(label ${label}=<class>, or a SandboxNamespace), whose claims the guard keeps from hostPath and local PersistentVolumes`
    );
}
/** The PersistentVolume policy's message: `type` is hostPath or local. */
export function tenantVolumeMessage(pv: string, type: string, namespace: string, claim: string, label = "sandbox-clusters.io/require-runtime"): string {
    return (
        `namespace ${namespace}: rule tenant-node-volume: PersistentVolume ${pv} (${type}) may not be bound to claim ${namespace}/${claim}: ` +
        `the namespace is a sandbox tenant namespace (label ${label}) and a hostPath or local volume is the node's disk, past the sandbox; ` +
        "give its claims a StorageClass of network or block volumes"
    );
}
