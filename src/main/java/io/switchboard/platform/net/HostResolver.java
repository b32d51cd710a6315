package io.switchboard.platform.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * DNS for the destination checks: every A and AAAA answer for a name. The checks ask once per
 * destination and connect only to the addresses it answered (no second lookup an attacker could rebind).
 */
@FunctionalInterface
public interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;

    /** The system resolver (the JVM's cache, /etc/hosts, then DNS). */
    static HostResolver system() {
        return InetAddress::getAllByName;
    }
}
