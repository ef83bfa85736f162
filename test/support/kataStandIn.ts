// Stand-ins for the images the real kata-deploy chart runs, for the end-to-end suite: images
// cannot be pulled on its machine and Kata's VMs cannot boot there, so the suite serves local
// images under the chart's pinned references from its loopback registry (test/support/
// ociChartRegistry.ts), and the nodes pull them as they would pull the real ones.
//
// - the kubectl image (`kubectlImage`, run by the chart's post-delete hook Job): a real kubectl
//   (build set `kubectl`, the cluster's release) with busybox, `bash` being busybox's sh; the
//   chart's own hook script runs in it unchanged.
// - the kata-deploy image (`image`, run by the chart's DaemonSet as `/usr/bin/kata-deploy
//   install`): does towards the cluster what kata-deploy does once Kata is installed on its node,
//   and nothing to the node itself: labels the node katacontainers.io/kata-runtime=true, lifts
//   the taints STARTUP_TAINTS names (`key` or `key:Effect`, matched on the key as the real binary
//   does), answers the chart's /healthz and /readyz probes, and on SIGTERM unlabels the node
//   unless its DaemonSet still selects the node (a rolling update), as the real binary does.
//
//   const kubectl = requireToolBinary(this, "kubectl", "kubectl");
//   const images = kataStandInImages(dir, kubectl);
//   registry.publishImage("kata-containers/kata-deploy", "4.1.0", images.kataDeploy);
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { KATA_INSTALLED_LABEL } from "../../components/kataShims";
import type { TestImage } from "./ociChartRegistry";

/** The label kata-deploy puts on a node once Kata is installed there. */
export const KATA_RUNTIME_LABEL = KATA_INSTALLED_LABEL;

/** What each stand-in image tells about itself on its first log line. */
export const STAND_IN_BANNER = "kata-deploy stand-in";

const APPLETS = ["sh", "cat", "echo", "mkdir", "sleep", "tr", "wc", "httpd", "grep", "printf", "true", "kill"];

/** kata-deploy's container command is `/usr/bin/kata-deploy install`: this script plays it. */
const KATA_DEPLOY_SCRIPT = `#!/bin/sh
# ${STAND_IN_BANNER}: the end-to-end suite's kata-deploy (test/support/kataStandIn.ts).
set -u
echo "${STAND_IN_BANNER}: $* on node \${NODE_NAME} (startup taints: \${STARTUP_TAINTS:-none})"
[ "\${1:-}" = install ] || { echo "${STAND_IN_BANNER}: only 'install' is played, not: $*" >&2; exit 2; }
ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)
www=/tmp/health
mkdir -p "$www"
echo ok > "$www/healthz"
httpd -f -p "\${HEALTH_PORT:-8090}" -h "$www" &
kubectl label node "$NODE_NAME" ${KATA_RUNTIME_LABEL}=true --overwrite || exit 1
for t in $(echo "\${STARTUP_TAINTS:-}" | tr ',' ' '); do
    kubectl taint node "$NODE_NAME" "$t-" || echo "taint $t was not on the node"
done
echo ok > "$www/readyz"
echo "${STAND_IN_BANNER}: installed"
on_term() {
    # The DaemonSet is still there during a rolling update: keep the node as it is.
    if [ "$(kubectl get daemonset "$DAEMONSET_NAME" -n "$ns" -o 'jsonpath={.metadata.deletionTimestamp}' 2>/dev/null || echo gone)" = "" ]; then
        echo "${STAND_IN_BANNER}: DaemonSet $DAEMONSET_NAME still selects this node; no cleanup"
    else
        kubectl label node "$NODE_NAME" ${KATA_RUNTIME_LABEL}- || true
        echo "${STAND_IN_BANNER}: cleaned up"
    fi
    exit 0
}
trap on_term TERM
while :; do sleep 3600 & wait $!; done
`;

export interface KataStandInImages {
    /** Plays `/usr/bin/kata-deploy install`. */
    kataDeploy: TestImage;
    /** kubectl and a shell, for the chart's hook Jobs. */
    kubectl: TestImage;
}

/** Builds both images' layer in `dir` from Debian's busybox-static and a Go-built `kubectl`. */
export function kataStandInImages(dir: string, kubectl: string, busybox = "/usr/bin/busybox"): KataStandInImages {
    const rootfs = path.join(dir, "kata-standin-rootfs");
    fs.rmSync(rootfs, { recursive: true, force: true });
    for (const d of ["bin", "usr/bin", "etc", "tmp", "proc", "sys", "dev"]) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.copyFileSync(busybox, path.join(rootfs, "bin", "busybox"));
    fs.chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
    for (const a of APPLETS) fs.symlinkSync("busybox", path.join(rootfs, "bin", a));
    // The chart's hook script runs under `bash -c`; it is POSIX sh apart from `local`, which busybox sh has.
    fs.writeFileSync(path.join(rootfs, "bin", "bash"), '#!/bin/sh\nexec /bin/sh "$@"\n', { mode: 0o755 });
    fs.copyFileSync(kubectl, path.join(rootfs, "usr", "bin", "kubectl"));
    fs.chmodSync(path.join(rootfs, "usr", "bin", "kubectl"), 0o755);
    fs.writeFileSync(path.join(rootfs, "usr", "bin", "kata-deploy"), KATA_DEPLOY_SCRIPT, { mode: 0o755 });
    fs.writeFileSync(path.join(rootfs, "etc", "passwd"), "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n");
    fs.chmodSync(path.join(rootfs, "tmp"), 0o1777);
    const layerFile = path.join(dir, "kata-standin-layer.tar");
    execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-cf", layerFile, "-C", rootfs, "."]);
    const layer = fs.readFileSync(layerFile);
    // kubectl keeps its discovery cache under $HOME; /tmp is writable in both pods.
    const env = ["PATH=/usr/bin:/bin", "HOME=/tmp"];
    return {
        kataDeploy: { layer, config: { Entrypoint: ["/usr/bin/kata-deploy"], Cmd: ["install"], Env: env, WorkingDir: "/" } },
        kubectl: { layer, config: { Cmd: ["/bin/sh"], Env: env, WorkingDir: "/" } },
    };
}

/** Splits `host/repository:tag` (a reference the chart renders) into the registry and the repository path. */
export function splitImageReference(ref: string): { registry: string; repository: string; tag: string } {
    const m = /^([^/]+)\/(.+):([^:@/]+)$/.exec(ref);
    if (!m) throw new Error(`not a host/repository:tag image reference: ${ref}`);
    return { registry: m[1], repository: m[2], tag: m[3] };
}
