package io.switchboard.genesys;

import java.util.List;

/**
 * What the pre-flight found at one healthy destination, returned to the caller and kept in the audit.
 *
 * @param destination the URI as given
 * @param addresses   every address its name resolved to (all of them passed the SSRF guard)
 * @param connectedTo the checked address the TLS connection went to
 * @param tlsProtocol negotiated protocol (TLSv1.2 or TLSv1.3)
 * @param cipherSuite negotiated cipher suite
 * @param certificateExpires expiry of the destination's certificate (ISO-8601)
 * @param healthStatus HTTP status of the health GET (below 500)
 * @param latencyMs   connect + handshake + health GET
 */
public record DestinationReport(String destination, List<String> addresses, String connectedTo,
                                String tlsProtocol, String cipherSuite, String certificateExpires,
                                int healthStatus, long latencyMs) {
}
