// What the EKS components take of things that exist before them: a cluster by name and
// subnets by ID. Checked where they are plain strings; an Output is the cloud's to check. Pure.
import type * as pulumi from "@pulumi/pulumi";
import { NameKind, nameProblems } from "../names";
import { Problem, ProblemCode, duplicates, plainString } from "../validation";

/** An EC2 subnet ID: `subnet-` and 8 or 17 hex digits (EC2's short and long resource IDs). */
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Problems with subnet IDs: each plain string an EC2 subnet ID, none listed twice. */
export function subnetIdProblems(path: string, ids: readonly pulumi.Input<string>[] | undefined): Problem[] {
    if (!Array.isArray(ids)) return [];
    const out: Problem[] = [];
    ids.forEach((id, i) => {
        const s = plainString(id);
        if (s !== undefined && !SUBNET_ID.test(s)) out.push({ code: ProblemCode.Malformed, path: `${path}[${i}]`, message: `"${s}" is not a subnet ID (subnet- and 8 or 17 hex digits)` });
    });
    for (const d of duplicates(ids.map(plainString).filter((s): s is string => s !== undefined))) {
        out.push({ code: ProblemCode.Duplicate, path, message: `"${d}" is listed more than once` });
    }
    return out;
}

/** Problems with the name of an existing EKS cluster, when it is a plain string. */
export function eksClusterNameProblems(path: string, name: pulumi.Input<string>): Problem[] {
    const s = plainString(name);
    return s === undefined || s === "" ? [] : nameProblems(NameKind.EksCluster, path, s);
}
