package io.switchboard.platform.net;

import io.switchboard.platform.http.ProblemException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The SSRF guard for one host a caller chose: read it strictly ({@link HostTarget}), look its name up
 * once, and admit it only when the {@link NetworkPolicy} accepts the name and every address. The answer is
 * the list of checked addresses: connect to those and nothing else (no second lookup a DNS rebinding could
 * turn elsewhere). A refusal is a 400 naming the caller's field, before any connection is made.
 */
public final class NetworkGuard {

    private final NetworkPolicy policy;
    private final HostResolver dns;

    public NetworkGuard(NetworkPolicy policy, HostResolver dns) {
        this.policy = policy;
        this.dns = dns;
    }

    /** The addresses {@code host} may be reached at, or a 400 naming {@code field}. */
    public List<InetAddress> admit(String field, String host) {
        HostTarget target;
        try {
            target = HostTarget.parse(host);
        } catch (IllegalArgumentException e) {
            throw refused(field, field + " " + e.getMessage());
        }
        policy.refusalBeforeLookup(target).ifPresent(reason -> {
            throw refused(field, reason);
        });
        List<InetAddress> addresses;
        if (target.isName()) {
            try {
                addresses = List.copyOf(Arrays.asList(dns.resolve(target.host())));
            } catch (UnknownHostException e) {
                throw refused(field, target.host() + " does not resolve (unknown host)");
            }
            if (addresses.isEmpty()) {
                throw refused(field, target.host() + " has no A or AAAA record");
            }
        } else {
            addresses = List.of(target.literal());
        }
        policy.refusal(target, addresses).ifPresent(reason -> {
            throw refused(field, reason);
        });
        return addresses;
    }

    private static ProblemException refused(String field, String reason) {
        return ProblemException.invalidField(field, "Switchboard may not connect there: " + reason);
    }
}
