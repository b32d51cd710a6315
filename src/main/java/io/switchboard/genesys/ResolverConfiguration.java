package io.switchboard.genesys;

import io.switchboard.platform.net.Cidr;
import io.switchboard.platform.net.HostResolver;
import io.switchboard.platform.net.NetworkPolicy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the destination checks of the Genesys Cloud integration resolver from {@code resolver.*}:
 * the SSRF policy, TLS, DNS, the check threads, and the two check steps. A malformed
 * {@code resolver.allowed-networks} entry or an unreadable trust store stops start-up with its reason.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResolverProperties.class)
public class ResolverConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ResolverConfiguration.class);

    @Bean
    public NetworkPolicy resolverNetworkPolicy(ResolverProperties properties) {
        List<Cidr> allowed;
        try {
            allowed = Cidr.parseList(properties.allowedNetworks());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("resolver.allowed-networks: " + e.getMessage(), e);
        }
        if (!allowed.isEmpty()) {
            LOG.warn("The Genesys integration resolver may reach {} despite the SSRF guard (resolver.allowed-networks)",
                    allowed);
        }
        return new NetworkPolicy(allowed);
    }

    @Bean
    public DestinationTls resolverTls(ResolverProperties properties) {
        DestinationTls tls = DestinationTls.create(properties.trustStore(), properties.trustStorePassword());
        if (tls.extraAnchors() > 0) {
            LOG.info("Destination checks trust {} certificate(s) from resolver.trust-store besides the system trust store",
                    tls.extraAnchors());
        }
        return tls;
    }

    @Bean
    public HostResolver resolverDns() {
        return HostResolver.system();
    }

    /** Threads of the DNS lookups and destination probes. */
    @Bean(destroyMethod = "close")
    public CheckThreads resolverCheckThreads(ResolverProperties properties) {
        return new CheckThreads(properties.maxConcurrentChecks());
    }

    @Bean
    public DestinationGuard destinationGuard(HostResolver resolverDns, NetworkPolicy resolverNetworkPolicy,
                                             CheckThreads resolverCheckThreads, ResolverProperties properties) {
        return new DestinationGuard(resolverDns, resolverNetworkPolicy, resolverCheckThreads, properties.dnsTimeout());
    }

    @Bean
    public PreflightChecks preflightChecks(DestinationTls resolverTls, CheckThreads resolverCheckThreads,
                                           ResolverProperties properties) {
        return new PreflightChecks(new DestinationProbe(resolverTls, properties), resolverCheckThreads,
                properties.probeBudget());
    }
}
