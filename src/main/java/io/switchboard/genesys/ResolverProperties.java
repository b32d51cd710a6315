package io.switchboard.genesys;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Genesys Cloud integration resolver's destination checks ({@code resolver.*}).
 *
 * @param allowedNetworks     CIDRs (comma separated, IPv4 and IPv6) the checks may reach although the SSRF
 *                            guard would refuse them (loopback, private, link-local ...); empty = none
 * @param trustStore          optional PKCS12 file whose certificates are trusted for destination TLS checks,
 *                            in addition to the system trust store
 * @param trustStorePassword  its password (never logged)
 * @param dnsTimeout          DNS answer of one destination within this
 * @param connectTimeout      TCP connect to one checked address within this
 * @param tlsTimeout          TLS handshake within this
 * @param healthTimeout       status line of the health GET within this
 * @param maxConcurrentChecks destination checks running at once
 */
@Validated
@ConfigurationProperties("resolver")
public record ResolverProperties(
        String allowedNetworks,
        String trustStore,
        String trustStorePassword,
        Duration dnsTimeout,
        Duration connectTimeout,
        Duration tlsTimeout,
        Duration healthTimeout,
        @Min(1) Integer maxConcurrentChecks) {

    public ResolverProperties {
        dnsTimeout = positiveOr(dnsTimeout, Duration.ofSeconds(5));
        connectTimeout = positiveOr(connectTimeout, Duration.ofSeconds(5));
        tlsTimeout = positiveOr(tlsTimeout, Duration.ofSeconds(10));
        healthTimeout = positiveOr(healthTimeout, Duration.ofSeconds(10));
        maxConcurrentChecks = maxConcurrentChecks == null ? 16 : maxConcurrentChecks;
    }

    /** Addresses of one destination tried in turn before its TLS check fails. */
    public static final int MAX_ADDRESSES_TRIED = 4;

    /** How long one destination's connects, handshake and health GET may take together. */
    public Duration probeBudget() {
        return connectTimeout.multipliedBy(MAX_ADDRESSES_TRIED).plus(tlsTimeout).plus(healthTimeout);
    }

    @Override
    public String toString() {
        return "ResolverProperties{allowedNetworks=" + allowedNetworks + ", trustStore=" + trustStore
                + ", trustStorePassword=***, dnsTimeout=" + dnsTimeout + ", connectTimeout=" + connectTimeout
                + ", tlsTimeout=" + tlsTimeout + ", healthTimeout=" + healthTimeout
                + ", maxConcurrentChecks=" + maxConcurrentChecks + "}";
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        return value == null || value.isZero() || value.isNegative() ? fallback : value;
    }
}
