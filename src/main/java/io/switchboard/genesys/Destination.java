package io.switchboard.genesys;

import io.switchboard.platform.net.NetworkTarget;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One destination of a resolve request, parsed strictly: where it came from ({@code uri} or
 * {@code uris[2]}), its host (lower case, IPv6 without brackets), port, and the path the health GET asks
 * for. {@code literal} is the address when the host is an IP literal in any spelling, else null (a name).
 * {@code ipv4Mapped} marks an IPv6 literal that only wraps an IPv4 address.
 */
public record Destination(String field, String uri, String host, int port, String pathAndQuery,
                          InetAddress literal, boolean ipv4Mapped) implements NetworkTarget {

    @Override
    public boolean isName() {
        return literal == null;
    }

    /** The Host header value: host (IPv6 in brackets) and the port unless it is 443. */
    public String hostHeader() {
        String name = literal != null && !(literal instanceof Inet4Address) ? "[" + host + "]" : host;
        return port == 443 ? name : name + ":" + port;
    }
}
