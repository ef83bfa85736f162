// The sandbox-clusters program, `pulumi up -s <stack>` (Pulumi.yaml's `main`, stacks/main.js, loads it).
// Everything it does lives in program.ts, which the offline plan runs too. Outputs:
// cloud, clusterName, kubeconfig (secret), runtimeClassNames, pools (per pool: runtime, mode,
// instance types, node stamp, RuntimeClasses), examplePod.
import { runProgram, stackOutputs } from "./program";

export = stackOutputs(runProgram());
