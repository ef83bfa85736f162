// IPv4 subnet arithmetic for the VPC the program creates. Pure.

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
