package io.switchboard.genesys;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Resolve figures (docs/api.md#genesys-cloud-outbound-integrations): reachability rate = successful resolves / resolves,
 * average latency = total latency / resolves, both 0 (never NaN) before the first resolve. A resolve is
 * every request that passed validation (refusals by the SSRF guard and failed checks included); a
 * successful one is answered 201. The same figures are Micrometer meters:
 * {@code switchboard.genesys-integrations.resolves} (total), {@code .resolves.successful},
 * {@code .reachability.rate} (0-1) and {@code .latency.average} (seconds, Prometheus' base unit; the API answers ms).
 */
@Component
public class ResolveMetrics {

    /** What {@code GET /api/genesys/integrations/metrics} answers. */
    public record Snapshot(double reachabilityRate, long totalResolves, long successfulResolves, double avgLatencyMs) {
    }

    private long total;
    private long successful;
    private long totalLatencyMs;

    public ResolveMetrics(MeterRegistry meters) {
        FunctionCounter.builder("switchboard.genesys-integrations.resolves", this, m -> m.snapshot().totalResolves())
                .description("Resolve requests that passed validation").register(meters);
        FunctionCounter.builder("switchboard.genesys-integrations.resolves.successful", this,
                        m -> m.snapshot().successfulResolves())
                .description("Resolves answered 201 (every destination checked, integration created)").register(meters);
        Gauge.builder("switchboard.genesys-integrations.reachability.rate", this, m -> m.snapshot().reachabilityRate())
                .description("Successful resolves / resolves (0 before the first)").register(meters);
        Gauge.builder("switchboard.genesys-integrations.latency.average", this, m -> m.snapshot().avgLatencyMs() / 1000.0)
                .description("Average resolve latency in seconds (0 before the first)").baseUnit("seconds")
                .register(meters);
    }

    public synchronized void record(boolean success, long latencyMs) {
        total++;
        if (success) {
            successful++;
        }
        totalLatencyMs += Math.max(0, latencyMs);
    }

    public synchronized Snapshot snapshot() {
        if (total == 0) {
            return new Snapshot(0.0, 0, 0, 0.0);
        }
        return new Snapshot((double) successful / total, total, successful, (double) totalLatencyMs / total);
    }
}
