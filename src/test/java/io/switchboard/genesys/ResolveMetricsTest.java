package io.switchboard.genesys;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The resolve figures, zeros (not a division by zero) before the first resolve. */
class ResolveMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResolveMetrics metrics = new ResolveMetrics(registry);

    @Test
    void should_report_zeros_before_the_first_resolve() {
        assertThat(metrics.snapshot()).isEqualTo(new ResolveMetrics.Snapshot(0.0, 0, 0, 0.0));
        assertThat(registry.get("switchboard.genesys-integrations.reachability.rate").gauge().value()).isZero();
        assertThat(registry.get("switchboard.genesys-integrations.latency.average").gauge().value()).isZero();
    }

    @Test
    void should_divide_successes_and_latency_by_every_resolve() {
        metrics.record(true, 100);
        metrics.record(false, 200);
        metrics.record(true, 0);

        assertThat(metrics.snapshot()).isEqualTo(new ResolveMetrics.Snapshot(2.0 / 3.0, 3, 2, 100.0));
        assertThat(registry.get("switchboard.genesys-integrations.resolves").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("switchboard.genesys-integrations.resolves.successful").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("switchboard.genesys-integrations.reachability.rate").gauge().value()).isEqualTo(2.0 / 3.0);
        assertThat(registry.get("switchboard.genesys-integrations.latency.average").gauge().value()).isEqualTo(0.1);
    }
}
