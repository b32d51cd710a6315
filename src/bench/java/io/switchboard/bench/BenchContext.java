package io.switchboard.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the benchmarks of one run share: the settings, the report, the servers in the harness process (SQS, the
 * three sinks, the CXone stand-in) and the Switchboards. Normally every benchmark gets a Switchboard of its own, in
 * its own JVM with its own heap; in the smoke run one Switchboard in the test JVM serves them all.
 */
final class BenchContext implements AutoCloseable {

    /** The SQS consumer route: started on cue by the benchmarks that need it. */
    static final String CONSUMER_ROUTE = "events-consume";

    final BenchSettings settings;
    final Report report;
    final SqsServer sqs;
    final SinkServers sinks;
    final CxoneStandIn cxone;
    private final SwitchboardLauncher launcher;
    private SwitchboardControl shared;

    BenchContext(BenchSettings settings, Report report) throws IOException {
        this.settings = settings;
        this.report = report;
        this.sqs = new SqsServer();
        this.sinks = new SinkServers();
        this.cxone = new CxoneStandIn();
        this.launcher = new SwitchboardLauncher(settings, sqs);
        sqs.createQueue(SwitchboardLauncher.Queues.EVENTS);
        sqs.createQueue(SwitchboardLauncher.Queues.EMAIL_RETRY);
    }

    /** A Switchboard for {@code benchmark}, released with {@link Lease#close()}. */
    Lease switchboard(String benchmark, String heap) throws IOException, InterruptedException {
        if (settings.inProcess()) {
            if (shared == null) {
                shared = launcher.start("shared", heap, settingsFor("shared"));
            }
            return new Lease(shared, false);
        }
        return new Lease(launcher.start(benchmark, heap, settingsFor(benchmark)), true);
    }

    /** A benchmark's own Switchboard settings; the shared one gets all of them. */
    private Map<String, String> settingsFor(String benchmark) {
        boolean all = benchmark.equals("shared");
        Map<String, String> own = new LinkedHashMap<>();
        // every SQS consumer waits for its cue: a drain is timed from the first receive, not from start-up
        own.put("camel.main.auto-startup-exclude-pattern", CONSUMER_ROUTE + ",email-retry");
        own.put("events.consumers", Integer.toString(settings.consumers()));
        own.put("events.wait-time-seconds", Integer.toString(settings.waitTimeSeconds()));
        if (settings.resequenceWindow() != null) {
            own.put("events.resequence-window", settings.resequenceWindow().toString());
        }
        own.putAll(SwitchboardLauncher.sinks(sinks));
        own.put("cxone.base-url", cxone.baseUrl());
        own.put("cxone.token-url", cxone.baseUrl() + "/oauth/token");
        own.put("cxone.client-id", "bench");
        own.put("cxone.client-secret", "bench-secret");
        if (all || benchmark.equals("rate-limiter")) {
            own.put("cxone.rate-limit-per-minute", Integer.toString(settings.limiterBudget()));
            own.put("upstream.rate-limit-window", settings.limiterWindow().toString());
        } else {
            own.put("cxone.rate-limit-per-minute", "100000000"); // measure Switchboard, not the request budget
        }
        return own;
    }

    @Override
    public void close() {
        if (shared != null) {
            shared.stop();
        }
        launcher.close();
        cxone.close();
        sinks.close();
        sqs.close();
    }

    /** One benchmark's use of a Switchboard: stops it afterwards unless it is the shared one. */
    static final class Lease implements AutoCloseable {
        final SwitchboardControl switchboard;
        private final boolean own;

        Lease(SwitchboardControl switchboard, boolean own) {
            this.switchboard = switchboard;
            this.own = own;
        }

        @Override
        public void close() {
            if (own) {
                switchboard.stop();
            } else {
                try {
                    switchboard.stopRoute(CONSUMER_ROUTE);
                } catch (RuntimeException notThere) {
                    // the events pipeline is not in this build
                }
            }
        }
    }
}
