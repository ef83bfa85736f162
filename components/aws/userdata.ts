// User data of EKS AL2023 sandbox nodes: a MIME multipart document whose `NodeConfig` parts
// (`application/node.eks.aws`) nodeadm reads and merges in order, and whose shell parts
// cloud-init runs in cloud-final, after nodeadm wrote containerd's config and before it
// starts containerd and kubelet. Pure functions, no Pulumi resources; the result is what
// `nodeadm config check` reads (see test/integration/nodeadm.test.ts).
import { formatTaint, Taint } from "../isolation";
import { GvisorInstallOptions, renderContainerdRuntimeToml, renderGvisorInstallScript } from "./gvisorBootstrap";

/** Media type nodeadm looks for in MIME parts. */
export const NODE_CONFIG_CONTENT_TYPE = "application/node.eks.aws";
export const SHELL_CONTENT_TYPE = 'text/x-shellscript; charset="us-ascii"';
/** Boundary of every document we render; a part that contains it is refused. */
export const MIME_BOUNDARY = "==SANDBOX-CLUSTERS-BOUNDARY==";

export interface MimePart {
    contentType: string;
    body: string;
}

/** A `multipart/mixed` document as cloud-init and nodeadm read it. */
export function renderMimeMultipart(parts: readonly MimePart[]): string {
    const lines = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`, ""];
    for (const part of parts) {
        if (part.body.includes(MIME_BOUNDARY)) {
            throw new Error(`a user data part contains the MIME boundary ${MIME_BOUNDARY}`);
        }
        // The line break before a boundary belongs to the boundary (RFC 2046), so a body's own
        // final newline survives only if another one follows it.
        lines.push(`--${MIME_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body);
    }
    lines.push(`--${MIME_BOUNDARY}--`, "");
    return lines.join("\n");
}

/** Cluster coordinates self-managed nodes need (managed node groups get them from EKS). */
export interface ClusterDetails {
    /** Name of the EKS cluster. */
    name: string;
    /** `https://` endpoint of the cluster's API server. */
    apiServerEndpoint: string;
    /** Base64 PEM bundle, as `DescribeCluster` returns it. */
    certificateAuthority: string;
    /** Service CIDR (`kubernetesNetworkConfig.serviceIpv4Cidr`). */
    cidr: string;
}

/** The parts of a `NodeConfig` (node.eks.aws/v1alpha1) the sandbox pools set. */
export interface NodeConfigSpec {
    /** The cluster a self-managed node joins; left out for managed node groups, which EKS configures. */
    cluster?: ClusterDetails;
    /** TOML merged into containerd's config (nodeadm writes config version 3 on AL2023). */
    containerdConfig?: string;
    /** Extra kubelet command-line flags. */
    kubeletFlags?: string[];
}

/**
 * A `NodeConfig` document in YAML. Scalars are JSON-quoted (valid YAML, no escaping
 * surprises); the containerd TOML is a literal block so the golden files stay readable.
 */
export function renderNodeConfig(spec: NodeConfigSpec): string {
    const out = ["---", "apiVersion: node.eks.aws/v1alpha1", "kind: NodeConfig", "spec:"];
    if (spec.cluster) {
        const c = spec.cluster;
        out.push(
            "  cluster:",
            `    name: ${q(c.name)}`,
            `    apiServerEndpoint: ${q(c.apiServerEndpoint)}`,
            `    certificateAuthority: ${q(c.certificateAuthority)}`,
            `    cidr: ${q(c.cidr)}`,
        );
    }
    if (spec.containerdConfig !== undefined) {
        out.push("  containerd:", "    config: |", ...indentBlock(spec.containerdConfig, "      "));
    }
    if (spec.kubeletFlags && spec.kubeletFlags.length > 0) {
        out.push("  kubelet:", "    flags:", ...spec.kubeletFlags.map((f) => `      - ${q(f)}`));
    }
    if (out.length === 4) out[3] = "spec: {}";
    return out.join("\n") + "\n";
}

/**
 * kubelet flags that register a self-managed node with its labels and taints (managed node
 * groups set these through the EKS API instead). Sorted by key so the output is stable.
 */
export function kubeletStampFlags(labels: Record<string, string>, taints: readonly Taint[]): string[] {
    const flags: string[] = [];
    const labelList = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`);
    if (labelList.length > 0) flags.push(`--node-labels=${labelList.join(",")}`);
    if (taints.length > 0) flags.push(`--register-with-taints=${taints.map(formatTaint).join(",")}`);
    return flags;
}

/** systemd unit of nodeadm that starts containerd and kubelet, after cloud-final. */
export const NODEADM_RUN_UNIT = "nodeadm-run.service";
const SCRIPT_DELIMITER = "SANDBOX_CLUSTERS_NODE_SCRIPT";

/**
 * Wraps a node bootstrap script so that its failure keeps the node out of the cluster.
 * nodeadm-run.service is only ordered after cloud-final (no Requires), so a failed shell
 * part alone would still let kubelet register a node that cannot run its runtime. On
 * failure the wrapper adds a drop-in that fails nodeadm-run with the reason, and says so on
 * the console: the node never joins and EKS reports it. `SYSTEMD_DROPIN_ROOT` relocates the
 * drop-in for tests.
 */
export function guardedNodeScript(what: string, script: string): string {
    if (script.split("\n").includes(SCRIPT_DELIMITER)) {
        throw new Error(`the ${what} script contains the line ${SCRIPT_DELIMITER}`);
    }
    if (!/^[A-Za-z0-9 ._-]+$/.test(what)) throw new Error(`"${what}" is not a plain description`);
    return [
        "#!/usr/bin/env bash",
        `# ${what}, guarded by sandbox-clusters: if it fails, this node must not join the cluster.`,
        "set -uo pipefail",
        'dropin_dir="${SYSTEMD_DROPIN_ROOT:-/run/systemd/system}/' + NODEADM_RUN_UNIT + '.d"',
        'script="$(mktemp)"',
        "trap 'rm -f \"$script\"' EXIT",
        `cat >"$script" <<'${SCRIPT_DELIMITER}'`,
        script.replace(/\n$/, ""),
        SCRIPT_DELIMITER,
        'if bash "$script"; then',
        "    exit 0",
        "fi",
        `reason="${what} failed; this node will not join the cluster"`,
        'echo "sandbox-clusters: $reason" | tee /dev/console >&2 || true',
        'mkdir -p "$dropin_dir"',
        'cat >"$dropin_dir/50-sandbox-clusters-failed.conf" <<EOF',
        "[Service]",
        'ExecStartPre=/bin/sh -c \'echo "sandbox-clusters: $reason" >&2; exit 1\'',
        "EOF",
        "systemctl daemon-reload",
        "exit 1",
        "",
    ].join("\n");
}

/**
 * User data of a gVisor node whose cluster coordinates come from elsewhere (EKS for managed
 * node groups, Karpenter for its nodes): a `NodeConfig` part registering the `runsc` handler
 * (containerd config version 3: AL2023 AMIs run containerd 2.x) and a guarded shell part that
 * installs the pinned gVisor release before nodeadm starts containerd.
 */
export function gvisorNodeUserData(gvisor: GvisorInstallOptions = {}): string {
    return renderMimeMultipart([
        { contentType: NODE_CONFIG_CONTENT_TYPE, body: renderNodeConfig({ containerdConfig: renderContainerdRuntimeToml({}, 3) }) },
        { contentType: SHELL_CONTENT_TYPE, body: guardedNodeScript("gVisor install", renderGvisorInstallScript(gvisor)) },
    ]);
}

function q(s: string): string {
    return JSON.stringify(s);
}

function indentBlock(text: string, indent: string): string[] {
    return text
        .replace(/\n+$/, "")
        .split("\n")
        .map((l) => (l === "" ? "" : indent + l));
}
