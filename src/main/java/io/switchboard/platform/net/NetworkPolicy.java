package io.switchboard.platform.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard's verdict on a destination: its name and every address it resolved to must be a
 * public destination, unless the address lies inside the allowed networks of the caller's setting
 * ({@code resolver.allowed-networks}, {@code email.probe.allowed-networks}). Names that
 * always mean this machine or a metadata service ({@code localhost}, {@code *.localhost},
 * {@code metadata.google.internal} ...) are refused unless all their addresses are allowed.
 */
public class NetworkPolicy {

    private static final List<String> SPECIAL_NAMES = List.of(
            "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");

    private final List<Cidr> allowed;

    public NetworkPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    public List<Cidr> allowedNetworks() {
        return allowed;
    }

    public boolean isAllowed(InetAddress address) {
        return allowed.stream().anyMatch(network -> network.contains(address));
    }

    /** Refused by name alone, before any lookup (nothing is allowed that could rescue it)? */
    public Optional<String> refusalBeforeLookup(NetworkTarget destination) {
        if (destination.isName() && isSpecialName(destination.host()) && allowed.isEmpty()) {
            return Optional.of("the name " + destination.host() + " always points at a local or metadata service");
        }
        if (!destination.isName()) {
            return refusal(destination, List.of(destination.literal()));
        }
        return Optional.empty();
    }

    /** Why this destination with these addresses is refused, or empty when it may be checked. */
    public Optional<String> refusal(NetworkTarget destination, List<InetAddress> addresses) {
        if (destination.ipv4Mapped() && !isAllowed(destination.literal())) {
            return Optional.of("[" + destination.host() + "] is an IPv4-mapped IPv6 address ("
                    + HostLiterals.text(destination.literal()) + ")");
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = AddressRules.refusal(address);
            if (reason.isPresent() && !isAllowed(address)) {
                return Optional.of(describe(destination, address) + " is " + reason.get());
            }
        }
        if (destination.isName() && isSpecialName(destination.host())
                && !addresses.stream().allMatch(this::isAllowed)) {
            return Optional.of("the name " + destination.host() + " always points at a local or metadata service");
        }
        return Optional.empty();
    }

    public static boolean isSpecialName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return SPECIAL_NAMES.contains(name) || name.endsWith(".localhost") || name.endsWith(".internal")
                || name.endsWith(".local");
    }

    private static String describe(NetworkTarget destination, InetAddress address) {
        return destination.isName()
                ? destination.host() + " resolves to " + HostLiterals.text(address) + ", which"
                : HostLiterals.text(address);
    }
}
