// Arguments of EksVpc and their checks. Pure: the program calls `eksVpcProblems` before it
// creates anything.
import { awsTagProblems } from "./tags";
import { Problem, shapeCheckedProblems, ProblemCode } from "../validation";
import { isVpcCidr } from "./cidr";

/** Arguments of `EksVpc`. */
export interface EksVpcArgs {
    /** IPv4 range of the VPC, /16 to /24; split into four equal subnets. */
    cidr: string;
    /** Name of the cluster, for the subnet discovery tags of the AWS load balancer controller. */
    clusterName: string;
    /** Zones to use (the first two). Default: the region's first two available zones. */
    availabilityZones?: string[];
    /** Tags on every resource. Default: none. */
    tags?: Record<string, string>;
}

/** Problems with EksVpc args; nothing is created while there are any. */
export function eksVpcProblems(args: EksVpcArgs): Problem[] {
    return shapeCheckedProblems("EksVpc", args, valueProblemsOfEksVpc);
}

/** The checks of `eksVpcProblems` on args of the declared shape. */
function valueProblemsOfEksVpc(args: EksVpcArgs): Problem[] {
    const p: Problem[] = [];
    if (!isVpcCidr(args.cidr)) p.push({ code: ProblemCode.Malformed, path: "cidr", message: `"${args.cidr}" is not an IPv4 CIDR of /16 to /24` });
    if (!args.clusterName) p.push({ code: ProblemCode.Required, path: "clusterName", message: "is required" });
    if (args.availabilityZones !== undefined && args.availabilityZones.length < 2) {
        p.push({ code: ProblemCode.OutOfRange, path: "availabilityZones", message: `EKS needs at least two availability zones (got ${args.availabilityZones.length})` });
    }
    p.push(...awsTagProblems("tags", args.tags));
    return p;
}
