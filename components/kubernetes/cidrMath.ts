// Address arithmetic for the network wall's checks: whether a CIDR covers an address. Pure.

/** The address as a number and its width (32 or 128 bits); undefined when it is not an IPv4 or IPv6 address. */
export function parseAddress(a: string): { value: bigint; bits: 32 | 128 } | undefined {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
    if (v4) {
        const octets = v4.slice(1).map(Number);
        if (octets.some((o) => o > 255)) return undefined;
        return { value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n), bits: 32 };
    }
    if (!/^[0-9a-fA-F:]+$/.test(a) || !a.includes(":")) return undefined;
    const halves = a.split("::");
    if (halves.length > 2) return undefined;
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
    const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return { value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

/** Whether `cidr` (`a.b.c.d/n`, `x::/n`) covers `address`; false for addresses of the other family or anything unparsable. */
export function cidrContains(cidr: string, address: string): boolean {
    const [base, len] = cidr.split("/");
    const net = parseAddress(base);
    const addr = parseAddress(address);
    const n = Number(len);
    if (!net || !addr || net.bits !== addr.bits || !/^\d+$/.test(len ?? "") || n > net.bits) return false;
    const shift = BigInt(net.bits - n);
    return net.value >> shift === addr.value >> shift;
}
