package io.switchboard.platform.net;

import java.net.InetAddress;

/**
 * A place Switchboard is asked to connect to, as the SSRF guard judges it: its host (lower case, IPv6
 * without brackets), the address when the host is an IP literal in any spelling (else null: a name), and
 * whether that literal is an IPv6 address that only wraps an IPv4 one.
 */
public interface NetworkTarget {

    String host();

    InetAddress literal();

    boolean ipv4Mapped();

    default boolean isName() {
        return literal() == null;
    }
}
