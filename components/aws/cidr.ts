// IPv4 subnet arithmetic for the VPC EksVpc creates. Pure.

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An IPv4 CIDR of /16 to /24: what a VPC may be, and what splits into EksVpc's four subnets. */
export function isVpcCidr(s: string): boolean {
    const m = CIDR.exec(s);
    if (!m) return false;
    const octets = m.slice(1, 5).map(Number);
    const bits = Number(m[5]);
    return octets.every((o) => o <= 255) && bits >= 16 && bits <= 24;
}

/** The `index`-th subnet of `cidr` that is `extraBits` longer, e.g. (10.0.0.0/16, 2, 1) -> 10.0.64.0/18. */
export function subnetCidr(cidr: string, extraBits: number, index: number): string {
    const [addr, lenText] = cidr.split("/");
    const len = Number(lenText);
    const newLen = len + extraBits;
    if (newLen > 28 || index < 0 || index >= 2 ** extraBits) {
        throw new Error(`cannot take subnet ${index} of /${newLen} from ${cidr}`);
    }
    const base = addr.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const start = ((base & mask) >>> 0) + index * 2 ** (32 - newLen);
    const octets = [24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256);
    return `${octets.join(".")}/${newLen}`;
}
