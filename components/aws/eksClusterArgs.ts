// Arguments of EksCluster, their checks, and the system node group's fixed choices they are
// checked against. Pure: the program calls `eksClusterProblems` before it creates anything.
import type * as pulumi from "@pulumi/pulumi";
import { awsTagProblems } from "./tags";
import { Problem, cidrListProblems, clusterVersionProblem, duplicates, shapeCheckedProblems, systemPoolSizeProblems, ProblemCode } from "../validation";
import { NameKind, nameProblems } from "../names";
import { subnetIdProblems } from "./clusterRef";
import { Architecture, instanceTypeInfo, noEksNodeReason } from "./instanceCatalogue";

/** AMI type and architecture of the system node group. */
export const SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD";
export const SYSTEM_ARCHITECTURE = Architecture.X86_64;

/** Arguments of `EksCluster`. */
export interface EksClusterArgs {
    /** EKS cluster name. */
    clusterName: string;
    /** Kubernetes minor version, e.g. "1.35"; at least 1.30, the first that serves the admission guard's ValidatingAdmissionPolicy v1. */
    version: string;
    /** AWS region, for the kubeconfig's `aws eks get-token`. */
    region: string;
    /** Private subnets in at least two zones: control plane interfaces and system nodes. */
    subnetIds: pulumi.Input<string>[];
    /** CIDRs allowed to reach the public API endpoint. Default: anywhere (EKS's 0.0.0.0/0). */
    publicAccessCidrs?: string[];
    /** IAM role or user ARNs given cluster-admin through access entries. Default: none (the creator is admin). */
    adminPrincipalArns?: string[];
    /** System node group instance types. */
    systemInstanceTypes: string[];
    /** Fewest system nodes; at least 1 (sandbox pools are tainted and never the only pool). */
    systemMinSize: number;
    /** Most system nodes; at least `systemMinSize`. */
    systemMaxSize: number;
    /** System nodes at creation, within [min, max]; later left to scaling. */
    systemDesiredSize: number;
    /** Refuse to delete the cluster. Default: false. */
    deletionProtection?: boolean;
    /** Tags on every resource. Default: none. */
    tags?: Record<string, string>;
}

const AWS_REGION = /^([a-z]{2}(-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;
/**
 * AWS's partitions, the second field of every ARN (the AWS SDK for JavaScript v3,
 * packages/util-endpoints/src/lib/aws/partitions.json).
 */
const AWS_PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"] as const;
/** What an EKS access entry takes: an IAM role or user (EKS refuses STS session ARNs). */
const IAM_PRINCIPAL_ARN = /^arn:([a-z-]+):iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;

/** Why `arn` cannot get an EKS access entry, or undefined when it can. */
function principalArnProblem(arn: string): string | undefined {
    const notPrincipal = `"${arn}" is not the ARN of an IAM role or user`;
    if (/^arn:[a-z-]+:sts::\d{12}:assumed-role\//.test(arn)) {
        return `${notPrincipal} (EKS access entries take no STS session ARNs: name the role, arn:aws:iam::<account>:role/<name>)`;
    }
    const partition = IAM_PRINCIPAL_ARN.exec(arn)?.[1];
    if (partition === undefined) return `${notPrincipal} (arn:aws:iam::<account>:role/<name>)`;
    if (!(AWS_PARTITIONS as readonly string[]).includes(partition)) return `${notPrincipal}: "${partition}" is not an AWS partition (${AWS_PARTITIONS.join(", ")})`;
    return undefined;
}

/** Problems with EksCluster args; nothing is created while there are any. */
export function eksClusterProblems(args: EksClusterArgs): Problem[] {
    return shapeCheckedProblems("EksCluster", args, valueProblemsOfEksCluster);
}

/** The checks of `eksClusterProblems` on args of the declared shape. */
function valueProblemsOfEksCluster(args: EksClusterArgs): Problem[] {
    const p: Problem[] = [];
    if (!args.clusterName) p.push({ code: ProblemCode.Required, path: "clusterName", message: "is required" });
    else p.push(...nameProblems(NameKind.EksCluster, "clusterName", args.clusterName));
    if (!args.region) p.push({ code: ProblemCode.Required, path: "region", message: "is required" });
    else if (!AWS_REGION.test(args.region)) p.push({ code: ProblemCode.Malformed, path: "region", message: `"${args.region}" is not an AWS region such as eu-west-1` });
    const version = clusterVersionProblem(args.version);
    if (version) p.push({ path: "version", ...version });
    if (args.subnetIds.length < 2) p.push({ code: ProblemCode.OutOfRange, path: "subnetIds", message: `EKS needs subnets in at least two availability zones (got ${args.subnetIds.length})` });
    p.push(...subnetIdProblems("subnetIds", args.subnetIds));
    if (args.systemInstanceTypes.length === 0) p.push({ code: ProblemCode.Required, path: "systemInstanceTypes", message: "needs at least one instance type" });
    args.systemInstanceTypes.forEach((t, i) => {
        const path = `systemInstanceTypes[${i}]`;
        const info = instanceTypeInfo(t);
        const noNode = info && noEksNodeReason(info);
        if (!info) p.push({ code: ProblemCode.Malformed, path, message: `"${t}" is not an EC2 instance type (<family>.<size>)` });
        else if (noNode) p.push({ code: ProblemCode.Unsupported, path, message: noNode });
        else if (info.architecture !== SYSTEM_ARCHITECTURE) {
            p.push({ code: ProblemCode.Unsupported, path, message: `${t} is ${info.architecture}; the system node group runs ${SYSTEM_AMI_TYPE} (${SYSTEM_ARCHITECTURE})` });
        }
    });
    p.push(...cidrListProblems("publicAccessCidrs", args.publicAccessCidrs));
    (args.adminPrincipalArns ?? []).forEach((a, i) => {
        const problem = principalArnProblem(a);
        if (problem) p.push({ code: ProblemCode.Malformed, path: `adminPrincipalArns[${i}]`, message: problem });
    });
    for (const d of duplicates(args.adminPrincipalArns ?? [])) p.push({ code: ProblemCode.Duplicate, path: "adminPrincipalArns", message: `"${d}" is listed more than once` });
    p.push(...awsTagProblems("tags", args.tags));
    return [...p, ...systemPoolSizeProblems(args)];
}
