package io.switchboard.genesys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.ExchangeProperty;

/**
 * The TLS and health checks of every admitted destination, run concurrently (one {@link DestinationProbe}
 * each, with its own connect, handshake and health timeouts). All of them finish before the answer; the
 * first failure in request order answers 502 with its {@code check} and {@code destination}.
 */
public class PreflightChecks {

    private static final Duration WATCHDOG_SLACK = Duration.ofSeconds(1);

    private final DestinationProbe probe;
    private final CheckThreads executor;
    private final Duration budget;

    public PreflightChecks(DestinationProbe probe, CheckThreads executor, Duration budget) {
        this.probe = probe;
        this.executor = executor;
        this.budget = budget;
    }

    public List<DestinationReport> check(@ExchangeProperty(ResolveExchange.ADMITTED) List<CheckedDestination> admitted)
            throws InterruptedException {
        List<DestinationProbe.Run> runs = new ArrayList<>();
        List<Future<DestinationReport>> probes = new ArrayList<>();
        for (CheckedDestination destination : admitted) {
            DestinationProbe.Run run = new DestinationProbe.Run();
            runs.add(run);
            probes.add(executor.submit(() -> probe.probe(destination, run)));
        }
        long deadline = System.nanoTime() + budget.plus(WATCHDOG_SLACK).toNanos();
        List<DestinationReport> reports = new ArrayList<>();
        List<CheckFailure> failures = new ArrayList<>();
        try {
            for (int i = 0; i < probes.size(); i++) {
                Destination destination = admitted.get(i).destination();
                try {
                    reports.add(probes.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    failures.add(e.getCause() instanceof CheckFailure failure ? failure
                            : new CheckFailure(runs.get(i).check(), destination, String.valueOf(e.getCause())));
                } catch (TimeoutException e) {
                    runs.get(i).abort();
                    probes.get(i).cancel(true);
                    failures.add(new CheckFailure(runs.get(i).check(), destination,
                            "did not finish within " + budget.toMillis() + " ms"));
                }
            }
        } catch (InterruptedException e) {
            runs.forEach(DestinationProbe.Run::abort);
            probes.forEach(future -> future.cancel(true));
            throw e;
        }
        if (!failures.isEmpty()) {
            throw CheckProblems.failed(failures);
        }
        return reports;
    }
}
