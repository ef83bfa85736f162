import * as assert from "assert";
import { Architecture, instanceTypeInfo, KvmAccess, METAL_FAMILIES, NESTED_VIRTUALIZATION_FAMILIES, noEksNodeReason } from "../../../components/aws/instanceCatalogue";

describe("EC2 instance catalogue", () => {
    it("finds KVM on bare-metal sizes, including -24xl/-48xl variants", () => {
        for (const t of ["m7i.metal-24xl", "c5.metal", "i3.metal", "m7i.metal-48xl", "c7g.metal"]) {
            assert.strictEqual(instanceTypeInfo(t)?.kvm, KvmAccess.Metal, t);
        }
    });

    it("finds nested virtualization on C8i, M8i, R8i and their flex variants only", () => {
        for (const t of ["c8i.large", "m8i.2xlarge", "r8i.xlarge", "c8i-flex.large", "m8i-flex.large", "r8i-flex.4xlarge"]) {
            assert.strictEqual(instanceTypeInfo(t)?.kvm, KvmAccess.Nested, t);
        }
        assert.deepStrictEqual([...NESTED_VIRTUALIZATION_FAMILIES].sort(), ["c8i", "c8i-flex", "m8i", "m8i-flex", "r8i", "r8i-flex"]);
    });

    it("finds no KVM on ordinary virtual sizes or on families without metal", () => {
        for (const t of ["t3.large", "m6i.large", "m7i.large", "c7g.large", "t3.metal", "m7i-flex.large"]) {
            assert.strictEqual(instanceTypeInfo(t)?.kvm, KvmAccess.None, t);
        }
    });

    it("tells Graviton families (arm64) from x86_64 ones", () => {
        const arm = ["a1.large", "c6g.large", "c6gn.large", "m7gd.xlarge", "x2gd.large", "c7g.metal", "is4gen.large"];
        const x86 = ["m7i.large", "g4dn.xlarge", "c6a.large", "m8i-flex.large", "inf2.xlarge", "r5dn.large"];
        for (const t of arm) assert.strictEqual(instanceTypeInfo(t)?.architecture, Architecture.Arm64, t);
        for (const t of x86) assert.strictEqual(instanceTypeInfo(t)?.architecture, Architecture.X86_64, t);
    });

    it("knows EC2 Mac instances: Intel mac1 is x86_64, every Apple-silicon Mac arm64, none an EKS node", () => {
        assert.strictEqual(instanceTypeInfo("mac1.metal")?.architecture, Architecture.X86_64);
        for (const t of ["mac2.metal", "mac2-m2.metal", "mac2-m2pro.metal", "mac2-m1ultra.metal", "mac-m4.metal", "mac-m4pro.metal"]) {
            assert.strictEqual(instanceTypeInfo(t)?.architecture, Architecture.Arm64, t);
            assert.match(noEksNodeReason(instanceTypeInfo(t)!) ?? "", /is an EC2 Mac instance/, t);
        }
        for (const t of ["m7i.large", "m7g.metal", "c8i.large"]) assert.strictEqual(noEksNodeReason(instanceTypeInfo(t)!), undefined, t);
    });

    it("lists every metal family once", () => {
        assert.strictEqual(new Set(METAL_FAMILIES).size, METAL_FAMILIES.length);
    });

    it("returns undefined for strings that are not <family>.<size>", () => {
        for (const t of ["", "large", "m7i", "M7I.LARGE", "m7i..large"]) assert.strictEqual(instanceTypeInfo(t), undefined, t);
    });
});
