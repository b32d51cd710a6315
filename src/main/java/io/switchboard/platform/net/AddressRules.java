package io.switchboard.platform.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges the SSRF guard refuses: everything that is not a public unicast destination.
 * More specific ranges come first so an answer names the most telling reason (cloud metadata before
 * link-local). IPv6 addresses that embed an IPv4 address (NAT64, 6to4) are judged by that address.
 */
public final class AddressRules {

    /** One refused range and why. */
    record Range(Cidr network, String reason) {
    }

    private static final List<Range> RANGES = List.of(
            range("169.254.169.254/32", "cloud metadata"),
            range("fd00:ec2::254/128", "cloud metadata"),
            range("100.100.100.200/32", "cloud metadata"),
            range("192.0.0.192/32", "cloud metadata"),
            range("0.0.0.0/8", "unspecified (0.0.0.0/8)"),
            range("127.0.0.0/8", "loopback"),
            range("10.0.0.0/8", "private (RFC 1918)"),
            range("172.16.0.0/12", "private (RFC 1918)"),
            range("192.168.0.0/16", "private (RFC 1918)"),
            range("169.254.0.0/16", "link-local"),
            range("100.64.0.0/10", "shared address space (CGNAT, RFC 6598)"),
            range("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
            range("198.18.0.0/15", "benchmarking (RFC 2544)"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "reserved (240.0.0.0/4, broadcast)"),
            range("::/128", "unspecified"),
            range("::1/128", "loopback"),
            range("::ffff:0:0/96", "IPv4-mapped IPv6"),
            range("::/96", "IPv4-compatible IPv6"),
            range("64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"),
            range("100::/64", "discard-only (RFC 6666)"),
            range("fc00::/7", "IPv6 unique local (ULA)"),
            range("fe80::/10", "IPv6 link-local"),
            range("fec0::/10", "IPv6 site-local"),
            range("ff00::/8", "multicast"));

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressRules() {
    }

    /** Why this address is refused, or empty for a public unicast address. */
    public static Optional<String> refusal(InetAddress address) {
        for (Range range : RANGES) {
            if (range.network().contains(address)) {
                return Optional.of(range.reason());
            }
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            InetAddress embedded = null;
            if (NAT64.contains(address)) {
                embedded = HostLiterals.byAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            } else if (SIX_TO_FOUR.contains(address)) {
                embedded = HostLiterals.byAddress(new byte[] {bytes[2], bytes[3], bytes[4], bytes[5]});
            }
            if (embedded != null) {
                return refusal(embedded).map(reason -> reason + " (embedded in " + HostLiterals.text(address) + ")");
            }
        }
        return Optional.empty();
    }

    private static Range range(String cidr, String reason) {
        return new Range(rangeCidr(cidr), reason);
    }

    /** Ranges are written here as literals; {@code ::ffff:0:0/96} is built from bytes (the JDK maps it to IPv4). */
    private static Cidr rangeCidr(String cidr) {
        if (cidr.startsWith("::ffff:")) {
            byte[] bytes = new byte[16];
            bytes[10] = (byte) 0xFF;
            bytes[11] = (byte) 0xFF;
            return new Cidr(bytes, 96, cidr);
        }
        return Cidr.parse(cidr);
    }
}
