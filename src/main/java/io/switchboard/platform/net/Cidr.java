package io.switchboard.platform.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 127.0.0.0/8}, {@code fd00::/8}). Its address is
 * parsed without any DNS lookup; an address without a prefix length is a single host.
 */
public record Cidr(byte[] network, int prefixLength, String text) {

    /** Parses a comma-separated list (blank entries ignored); the first malformed entry fails. */
    public static List<Cidr> parseList(String list) {
        List<Cidr> result = new ArrayList<>();
        if (list == null) {
            return result;
        }
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                result.add(parse(entry.trim()));
            }
        }
        return result;
    }

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress parsed = HostLiterals.parseIpLiteral(address);
        if (parsed == null) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR network (an IPv4 or IPv6 address/prefix)");
        }
        byte[] bytes = parsed.getAddress();
        if (parsed instanceof Inet4Address && address.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': write IPv4 networks in IPv4 notation");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (0-" + bits + ")");
            }
            prefix = Integer.parseInt(length);
        }
        return new Cidr(mask(bytes, prefix), prefix, text);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && java.util.Arrays.equals(mask(candidate, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefixLength == prefixLength
                && java.util.Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
