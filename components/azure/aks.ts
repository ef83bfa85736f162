// AKS Pod Sandboxing facts the package relies on: its Kata handler and RuntimeClasses, the
// label prefix AKS reserves, the overhead and pod VM memory of its Kata pods, and the one shim
// it runs. Pure data, no Pulumi resources and no Azure SDK: the Kubernetes layer reads these
// to plan RuntimeClasses and verification Jobs on AKS, without loading @pulumi/azure-native.
import { KataShim } from "../kataShims";

/**
 * AKS Pod Sandboxing. Sources (checked December 2026): Microsoft Learn "Pod sandboxing with
 * AKS" (MicrosoftDocs/azure-aks-docs `articles/aks/use-pod-sandboxing.md`, 2026-09-17) and
 * "Pod Sandboxing considerations" (`considerations-pod-sandboxing.md`); a node pool with
 * `workloadRuntime: KataVmIsolation` runs Kata with Cloud Hypervisor on the Hyper-V root
 * partition and comes with AKS's own RuntimeClass `kata-vm-isolation` (handler `kata`,
 * selecting AKS's node label, no tolerations). Custom classes use handler `kata`; AKS's
 * default class declares 600Mi of memory overhead (512Mi default pod VM + ~88Mi host side).
 */
export const AKS_KATA_HANDLER = "kata";
/** RuntimeClasses AKS creates and reconciles itself; the package never creates or changes them. */
export const AKS_KATA_RUNTIME_CLASSES: readonly string[] = ["kata-vm-isolation", "kata-mshv-vm-isolation"];
/** Label key prefix AKS reserves for its own node labels; pools may not set labels under it. */
export const AKS_RESERVED_LABEL_PREFIX = "kubernetes.azure.com/";

/** Pod overhead AKS documents for its default Kata class. */
export const AKS_KATA_OVERHEAD = { memory: "600Mi" } as const;
/**
 * Pod VM memory of the package's own Kata pods on AKS (the verification Jobs). AKS sizes each
 * pod VM from the pod's memory limit, so a limit sized for the container alone would leave no
 * room for the guest kernel and agent; 512Mi is AKS's own default pod VM size.
 */
export const AKS_KATA_POD_VM_MEMORY = "512Mi";

/**
 * Shims behind AKS's single Kata handler: Pod Sandboxing runs Cloud Hypervisor (`clh`), so
 * `kata-clh` is the only `kata-<shim>` name that means the same VMM there as on EKS and GKE.
 */
export const AKS_KATA_SHIMS: readonly KataShim[] = [KataShim.Clh];
