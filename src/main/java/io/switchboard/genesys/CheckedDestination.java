package io.switchboard.genesys;

import java.net.InetAddress;
import java.util.List;

/** A destination the SSRF guard admitted, with the addresses it was admitted for (the only ones used). */
public record CheckedDestination(Destination destination, List<InetAddress> addresses) {
}
