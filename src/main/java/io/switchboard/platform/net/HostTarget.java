package io.switchboard.platform.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A bare host a caller chose (an SMTP relay's {@code server}), read strictly the way the SSRF guard needs
 * it: no user information ({@code user@127.0.0.1}), IPv4 literals in every historic spelling
 * ({@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}) recognised as addresses,
 * IPv6 literals with or without brackets (an IPv4-mapped one flagged), anything else a DNS name of valid labels.
 */
public record HostTarget(String host, InetAddress literal, boolean ipv4Mapped) implements NetworkTarget {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Reads a host; the exception's message says what is wrong with it. */
    public static HostTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String host = text.trim();
        if (host.indexOf('@') >= 0) {
            throw new IllegalArgumentException("must not carry user information (user@host)");
        }
        if (!host.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("must be ASCII without spaces or control characters");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.indexOf(':') >= 0) {
            if (host.indexOf('%') >= 0) {
                throw new IllegalArgumentException("must not carry an IPv6 zone id");
            }
            InetAddress address = HostLiterals.parseIpv6(host);
            if (address == null) {
                throw new IllegalArgumentException("is not a valid IPv6 address: " + host);
            }
            return new HostTarget(host.toLowerCase(Locale.ROOT), address, address instanceof Inet4Address);
        }
        String normalized = host.toLowerCase(Locale.ROOT);
        if (HostLiterals.endsInNumber(normalized)) {
            Inet4Address address = HostLiterals.parseUrlIpv4(normalized);
            if (address == null) {
                throw new IllegalArgumentException("is neither a name nor a valid IPv4 address: " + host);
            }
            return new HostTarget(HostLiterals.text(address), address, false);
        }
        if (normalized.endsWith(".")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (normalized.isEmpty() || normalized.length() > 253) {
            throw new IllegalArgumentException("is not a valid host name: " + host);
        }
        for (String label : normalized.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("is not a valid host name: " + host);
            }
        }
        return new HostTarget(normalized, null, false);
    }
}
