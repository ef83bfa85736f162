// The IAM role EKS sandbox nodes run as, when the user brings none: trusted by EC2, with the
// minimal EKS worker policies. Shared by the node-group and Karpenter pools.
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { NameKind, autoNamed } from "../names";

/** Policies every EKS worker needs, and no more (AWS "Amazon EKS node IAM role"). */
export const NODE_ROLE_POLICY_ARNS: readonly string[] = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
];

export interface NodeRole {
    arn: pulumi.Output<string>;
    name: pulumi.Output<string>;
    /** The policy attachments: nodes must not try to join before these exist. */
    attachments: pulumi.Resource[];
}

/** Creates `${name}-node-role` and its policy attachments as children of `parent`. */
export function createNodeRole(name: string, tags: Record<string, string>, parent: pulumi.Resource): NodeRole {
    const role = new iam.Role(
        autoNamed(NameKind.AwsIamRole, `${name}-node-role`),
        {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            description: "EKS sandbox nodes (sandbox-clusters)",
            tags,
        },
        { parent },
    );
    const attachments = NODE_ROLE_POLICY_ARNS.map((policyArn) => {
        const policy = policyArn.split("/").pop()!;
        return new iam.RolePolicyAttachment(`${name}-${policy}`, { role: role.name, policyArn }, { parent });
    });
    return { arn: role.arn, name: role.name, attachments };
}

/** The role name in a role ARN (`arn:aws:iam::123456789012:role/path/name` -> `name`). */
export function roleNameOf(arn: string): string {
    return arn.split("/").pop()!;
}
