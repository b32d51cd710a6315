package io.switchboard.genesys;

import io.switchboard.platform.net.HostLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a destination URI strictly, the way the SSRF guard needs it: HTTPS only, no user information
 * ({@code https://trusted@evil} tricks), no percent-encoded or non-ASCII hosts, IPv4 literals in every
 * historic spelling recognised as addresses, IPv6 literals in brackets without zone ids.
 */
final class DestinationParser {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** A destination that cannot be used, with the reason for the caller. */
    static final class InvalidDestination extends Exception {
        InvalidDestination(String message) {
            super(message, null, false, false);
        }
    }

    private DestinationParser() {
    }

    static Destination parse(String field, String text) throws InvalidDestination {
        if (text == null || text.isBlank()) {
            throw new InvalidDestination("is empty");
        }
        if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new InvalidDestination("must be ASCII without spaces or control characters"
                    + " (write international host names in their xn-- form)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidDestination("is not a well-formed URI: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("https")) {
            throw new InvalidDestination("must use HTTPS");
        }
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw new InvalidDestination("has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new InvalidDestination("must not carry user information (user@host)");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidDestination("has an unterminated IPv6 literal");
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new InvalidDestination("has text after its IPv6 literal");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new InvalidDestination("must write an IPv6 host in brackets");
            }
        }
        int port = port(portText);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();

        if (authority.startsWith("[")) {
            if (host.indexOf('%') >= 0) {
                throw new InvalidDestination("must not carry an IPv6 zone id");
            }
            InetAddress address = HostLiterals.parseIpv6(host);
            if (address == null) {
                throw new InvalidDestination("has an invalid IPv6 literal [" + host + "]");
            }
            boolean mapped = address instanceof Inet4Address;
            return new Destination(field, text, host.toLowerCase(Locale.ROOT), port, pathAndQuery, address, mapped);
        }
        if (host.isEmpty()) {
            throw new InvalidDestination("has no host");
        }
        if (host.indexOf('%') >= 0) {
            throw new InvalidDestination("must not percent-encode its host");
        }
        String normalized = host.toLowerCase(Locale.ROOT);
        if (HostLiterals.endsInNumber(normalized)) {
            Inet4Address address = HostLiterals.parseUrlIpv4(normalized);
            if (address == null) {
                throw new InvalidDestination("has a host that is neither a name nor a valid IPv4 address: " + host);
            }
            return new Destination(field, text, HostLiterals.text(address), port, pathAndQuery, address, false);
        }
        if (normalized.endsWith(".")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (normalized.length() > 253) {
            throw new InvalidDestination("has an invalid host name: " + host);
        }
        for (String label : normalized.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidDestination("has an invalid host name: " + host);
            }
        }
        return new Destination(field, text, normalized, port, pathAndQuery, null, false);
    }

    private static int port(String text) throws InvalidDestination {
        if (text == null || text.isEmpty()) {
            return 443;
        }
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new InvalidDestination("has an invalid port: " + text);
        }
        return Integer.parseInt(text);
    }
}
