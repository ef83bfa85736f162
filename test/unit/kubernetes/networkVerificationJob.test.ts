import * as assert from "assert";
import { Cloud } from "../../../components/isolation";
import { networkProbeScript } from "../../../components/kubernetes/networkProbe";
import {
    KUBELET_PORT,
    METADATA_ENDPOINTS,
    NETWORK_JOB_NAME,
    NETWORK_TARGET_PORT,
    likelyCause,
    networkProbeTargets,
    networkTargetPod,
    networkVerificationJob,
} from "../../../components/kubernetes/networkVerificationJob";

describe("network verification Job of a tenant namespace", () => {
    const targets = networkProbeTargets({ cloud: Cloud.Aws, targetPodIp: "10.1.2.3" });
    const job = networkVerificationJob({
        namespace: "team-a",
        runtimeClass: "gvisor",
        image: "registry.example/busybox@sha256:" + "a".repeat(64),
        activeDeadlineSeconds: 300,
        settleSeconds: 30,
        ...targets,
        cause: likelyCause(Cloud.Aws),
        subject: "deny-ingress restrict-egress",
    });
    const pod = job.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

    it("runs in the tenant namespace as its pods run: its RuntimeClass, no token, the restricted profile, no retries", () => {
        assert.equal(job.metadata.namespace, "team-a");
        assert.equal(job.metadata.name, NETWORK_JOB_NAME);
        assert.equal(pod.runtimeClassName, "gvisor");
        assert.equal(pod.automountServiceAccountToken, false);
        assert.equal(job.spec.backoffLimit, 0);
        assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
        assert.deepEqual(pod.containers[0].securityContext.capabilities, { drop: ["ALL"] });
        assert.deepEqual(pod.containers[0].command, ["/bin/sh", "-c", networkProbeScript()]);
    });

    it("must refuse the cloud's metadata addresses (IPv4 and IPv6), the node's kubelet, the API server and the other namespace's pod; must reach the cluster DNS", () => {
        assert.equal(
            env.MUST_REFUSE,
            `metadata=169.254.169.254:80 metadata-ipv6=[fd00:ec2::254]:80 node=$(NODE_IP):${KUBELET_PORT} api-server=$(KUBERNETES_SERVICE_HOST):443 other-namespace-pod=10.1.2.3:${NETWORK_TARGET_PORT}`,
        );
        assert.equal(env.MUST_REACH, "dns=@resolv:53");
        assert.deepEqual(env.NODE_IP, { fieldRef: { fieldPath: "status.hostIP" } });
        // NODE_IP comes before the variable that expands it.
        const names = pod.containers[0].env.map((e: any) => e.name);
        assert.ok(names.indexOf("NODE_IP") < names.indexOf("MUST_REFUSE"));
    });

    it("names each cloud's metadata service, an adopted cluster every one of them", () => {
        assert.deepEqual(METADATA_ENDPOINTS[Cloud.Gcp].map((t) => t.host), ["169.254.169.254", "fd20:ce::254"]);
        assert.deepEqual(METADATA_ENDPOINTS[Cloud.Azure].map((t) => t.host), ["169.254.169.254"]);
        assert.deepEqual(METADATA_ENDPOINTS[Cloud.Kubernetes].map((t) => t.host), ["169.254.169.254", "fd00:ec2::254", "fd20:ce::254"]);
    });

    it("leaves the API server out where the namespace may reach it, adds the allowed egress, and checks no pod without a target", () => {
        const t = networkProbeTargets({ cloud: Cloud.Azure, apiServerAllowed: true, mustReach: [{ name: "internet", host: "192.0.2.10", port: 443 }] });
        assert.deepEqual(t.mustRefuse.map((x) => x.name), ["metadata", "node"]);
        assert.deepEqual(t.mustReach.map((x) => x.name), ["dns", "internet"]);
    });

    it("gives the likely cause per cloud: on EKS the VPC CNI's network policy agent", () => {
        assert.match(likelyCause(Cloud.Aws), /VPC CNI's network policy agent is off/);
        assert.match(likelyCause(Cloud.Gcp), /Dataplane V2/);
        assert.match(likelyCause(Cloud.Kubernetes), /does not enforce NetworkPolicy/);
    });

    it("has a listener pod per RuntimeClass in the verification namespace: on the tenants' pools, ready once it listens, restricted", () => {
        const pod = networkTargetPod({ namespace: "sandbox-verify", runtimeClass: "gvisor", image: "img@sha256:" + "b".repeat(64) });
        assert.equal(pod.metadata.name, "network-target-gvisor");
        assert.equal(pod.metadata.namespace, "sandbox-verify");
        assert.equal(pod.spec.runtimeClassName, "gvisor");
        assert.deepEqual(pod.spec.containers[0].command, ["/bin/sh", "-c", `exec nc -ll -p ${NETWORK_TARGET_PORT} -e /bin/true`]);
        assert.deepEqual(pod.spec.containers[0].readinessProbe.tcpSocket, { port: NETWORK_TARGET_PORT });
        assert.equal(pod.spec.securityContext.runAsNonRoot, true);
        assert.deepEqual(pod.spec.containers[0].securityContext.capabilities, { drop: ["ALL"] });
    });
});
