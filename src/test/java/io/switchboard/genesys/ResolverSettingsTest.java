package io.switchboard.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** resolver.* at start-up: system trust plus the extra trust store, and clear refusals of bad settings. */
class ResolverSettingsTest {

    private final ResolverConfiguration configuration = new ResolverConfiguration();

    @Test
    void should_trust_the_system_store_and_the_resolver_trust_store_together() throws Exception {
        TestCertificates certificates = TestCertificates.get();

        DestinationTls tls = DestinationTls.create(certificates.trustStore.toString(), TestCertificates.TRUST_STORE_PASSWORD);

        List<X509Certificate> system = DestinationTls.systemAnchors();
        assertThat(system).isNotEmpty();
        assertThat(tls.extraAnchors()).isEqualTo(1);
        assertThat(tls.trustedIssuers()).hasSize(system.size() + 1)
                .contains(certificates.ca.chain()[0])
                .containsAll(system);
        assertThat(DestinationTls.create(null, null).trustedIssuers()).containsExactlyInAnyOrderElementsOf(system);
    }

    @Test
    void should_refuse_to_start_with_an_unreadable_trust_store_or_a_wrong_password() {
        assertThatThrownBy(() -> configuration.resolverTls(settings(null, "/no/such/store.p12", "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolver.trust-store");
        String store = TestCertificates.get().trustStore.toString();
        assertThatThrownBy(() -> configuration.resolverTls(settings(null, store, "wrong-password")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolver.trust-store")
                .hasMessageNotContaining("wrong-password");
    }

    @Test
    void should_refuse_to_start_with_a_malformed_allowed_network() {
        assertThatThrownBy(() -> configuration.resolverNetworkPolicy(settings("127.0.0.0/8, 10.0.0.0/40", null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolver.allowed-networks")
                .hasMessageContaining("10.0.0.0/40");
        assertThat(configuration.resolverNetworkPolicy(settings("127.0.0.0/8,::1/128", null, null)).allowedNetworks())
                .hasSize(2);
        assertThat(configuration.resolverNetworkPolicy(settings(null, null, null)).allowedNetworks()).isEmpty();
    }

    @Test
    void should_fall_back_to_sane_timeouts() {
        ResolverProperties defaults = new ResolverProperties(null, null, null, null, Duration.ZERO, null, null, null);
        assertThat(defaults.dnsTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.probeBudget()).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.maxConcurrentChecks()).isEqualTo(16);
        assertThat(defaults.toString()).contains("trustStorePassword=***");
    }

    private static ResolverProperties settings(String allowed, String trustStore, String password) {
        return new ResolverProperties(allowed, trustStore, password, null, null, null, null, null);
    }
}
