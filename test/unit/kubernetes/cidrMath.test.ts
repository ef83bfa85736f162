import * as assert from "assert";
import { cidrContains, parseAddress } from "../../../components/kubernetes/cidrMath";

describe("CIDR arithmetic of the network wall's checks", () => {
    it("covers an address inside the range, IPv4 and IPv6, and no address outside it", () => {
        assert.equal(cidrContains("169.254.0.0/16", "169.254.169.254"), true);
        assert.equal(cidrContains("0.0.0.0/0", "169.254.169.254"), true);
        assert.equal(cidrContains("169.254.169.254/32", "169.254.169.254"), true);
        assert.equal(cidrContains("169.254.169.0/25", "169.254.169.254"), false);
        assert.equal(cidrContains("10.0.0.0/8", "169.254.169.254"), false);
        assert.equal(cidrContains("fd00::/8", "fd00:ec2::254"), true);
        assert.equal(cidrContains("fc00::/7", "fd20:ce::254"), true);
        assert.equal(cidrContains("::/0", "fd00:ec2::254"), true);
        assert.equal(cidrContains("fd00:ec2::254/128", "fd00:ec2::254"), true);
        assert.equal(cidrContains("fd00:ec2::/120", "fd00:ec2::254"), false);
    });

    it("never mixes families and refuses what does not parse", () => {
        assert.equal(cidrContains("::/0", "169.254.169.254"), false);
        assert.equal(cidrContains("0.0.0.0/0", "fd00:ec2::254"), false);
        assert.equal(cidrContains("169.254.0.0/33", "169.254.169.254"), false);
        assert.equal(cidrContains("169.254.0.0", "169.254.169.254"), false);
        assert.equal(parseAddress("256.1.1.1"), undefined);
        assert.equal(parseAddress("1::2::3"), undefined);
        assert.equal(parseAddress("1:2:3:4:5:6:7"), undefined);
        assert.deepEqual(parseAddress("::1"), { value: 1n, bits: 128 });
    });
});
