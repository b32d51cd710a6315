package io.switchboard.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events pipeline throughput against the physical limit, then latency at half the measured maximum.
 *
 * <p><b>Throughput.</b> The same {@code events} messages ({@link EventFeed}: 100 interactions, 10 % re-sent
 * duplicates, shuffled within the window) are preloaded three times into the harness's SQS server and drained by
 * <ul>
 *   <li><b>B1</b>: a bare AWS SDK v2 loop in its own JVM: receive 10, delete each ({@link RawSqsLoop});</li>
 *   <li><b>B2</b>: the same loop deleting with one batch call;</li>
 *   <li><b>Switchboard</b>: schema validation, durable de-duplication and record (H2 file, or PostgreSQL), resequence,
 *       fan-out to the three local HTTP sinks, which answer at once.</li>
 * </ul>
 * All three with the same number of consumer threads ({@code events.consumers}) and the same long-polling wait
 * ({@code events.wait-time-seconds}), each after a warm-up drain of its
 * own, in the order B1, B2, Switchboard, B2, B1: each baseline is the mean of a run before and a run after
 * Switchboard's, so that a machine whose load drifts (a shared one) favours neither side. A drain is timed from the cue (the consumer route starts; the loop reads GO) to the last message gone, and
 * for Switchboard to the moment every distinct event has reached every sink. CPU is the CPU time of the JVM doing
 * the work, over the same interval.
 *
 * <p><b>Latency.</b> Distinct events sent one SendMessage each, at half of Switchboard's measured rate, to the warm
 * Switchboard; the latency of an event runs from just before its SendMessage to its receipt at the last of the
 * three sinks.
 */
final class EventsBenchmark {

    private static final long SEED = 20_251_121L;
    private static final int RUN_MEASURED = 1;
    private static final int RUN_SWITCHBOARD_WARMUP = 2;
    private static final int RUN_LATENCY = 3;
    private static final int RUN_RAW_WARMUP = 10;

    private final BenchContext context;
    private final BenchSettings settings;
    private final Report report;

    EventsBenchmark(BenchContext context) {
        this.context = context;
        this.settings = context.settings;
        this.report = context.report;
    }

    /** One drain of the preloaded messages. */
    record Drain(String name, int messages, Duration took, Duration cpu) {
        double perSecond() {
            return messages / (took.toNanos() / 1e9);
        }

        double cpuSecondsPerThousand() {
            return cpu.toNanos() / 1e9 / (messages / 1000.0);
        }

        /** The mean of two drains of the same messages (the bracketing runs of a baseline). */
        static Drain mean(Drain first, Drain second) {
            return new Drain(first.name(), first.messages(), first.took().plus(second.took()).dividedBy(2),
                    first.cpu().plus(second.cpu()).dividedBy(2));
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("messages", messages);
            map.put("seconds", took.toMillis() / 1000.0);
            map.put("eventsPerSecond", Math.round(perSecond()));
            map.put("cpuSeconds", cpu.toMillis() / 1000.0);
            map.put("cpuSecondsPer1000Events", Math.round(cpuSecondsPerThousand() * 1000) / 1000.0);
            return map;
        }
    }

    void run(boolean throughput, boolean latency) throws Exception {
        EventFeed feed = EventFeed.plan(RUN_MEASURED, settings.events(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("messages", feed.messages());
        details.put("distinctEvents", feed.unique());
        details.put("interactions", feed.interactions());
        details.put("consumers", settings.consumers());
        Drain b1 = null;
        Drain b2 = null;
        Drain b1First = null;
        Drain b2First = null;
        if (throughput) {
            // B1 B2 Switchboard B2 B1: the baselines bracket Switchboard, so a machine whose load drifts during the
            // run (a shared one) biases neither side
            b1First = raw("B1", "each", feed);
            b2First = raw("B2", "batch", feed);
        }
        try (BenchContext.Lease lease = context.switchboard("events", settings.eventsHeap())) {
            SwitchboardControl switchboard = lease.switchboard;
            if (!switchboard.routes().contains(BenchContext.CONSUMER_ROUTE)) {
                String why = "the events pipeline (route " + BenchContext.CONSUMER_ROUTE + ") is not in this build";
                report.row("events", "Switchboard drain", "-", "≥ 0.8 × B1", Report.Verdict.SKIPPED);
                report.row("latency", "send → last sink", "-", "p99 ≤ 250 ms", Report.Verdict.SKIPPED);
                details.put("switchboard", why);
                if (throughput) {
                    details.put("B1", b1First.toMap());
                    details.put("B2", b2First.toMap());
                }
                rawRows(b1First, b2First);
                report.details("events", details);
                return;
            }
            warmUp(switchboard);
            Drain measured = null;
            if (throughput) {
                measured = drain(switchboard, feed, details);
                details.put("switchboard", measured.toMap());
                // the smoke run (in-process) skips the second bracket: its numbers mean nothing anyway
                Drain b2Second = settings.inProcess() ? b2First : raw("B2", "batch", feed);
                Drain b1Second = settings.inProcess() ? b1First : raw("B1", "each", feed);
                b1 = Drain.mean(b1First, b1Second);
                b2 = Drain.mean(b2First, b2Second);
                details.put("B1", Map.of("mean", b1.toMap(), "before", b1First.toMap(), "after", b1Second.toMap()));
                details.put("B2", Map.of("mean", b2.toMap(), "before", b2First.toMap(), "after", b2Second.toMap()));
                rows(measured, b1, b2, details);
            }
            report.details("events", details);
            if (latency) {
                double rate = settings.latencyRate() > 0 ? settings.latencyRate()
                        : measured != null ? measured.perSecond() / 2 : 0;
                if (rate <= 0) {
                    report.row("latency", "send → last sink", "-", "p99 ≤ 250 ms", Report.Verdict.SKIPPED);
                    report.details("latency", "no rate: run it with the events benchmark or set bench.latency.rate");
                    return;
                }
                latency(switchboard, rate, settings.latencyRate() <= 0);
            }
        }
    }

    // ---- B1 / B2

    private Drain raw(String name, String mode, EventFeed feed) throws Exception {
        SqsServer sqs = context.sqs;
        String warmupQueue = sqs.createQueue("bench-" + name.toLowerCase() + "-warmup");
        EventFeed warmup = EventFeed.plan(RUN_RAW_WARMUP, settings.warmupEvents(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED);
        sqs.sendBatches(warmupQueue, 0, warmup.messages(), warmup::message, 4);
        String queue = sqs.createQueue("bench-" + name.toLowerCase());
        sqs.sendBatches(queue, 0, feed.messages(), feed::message, 4);
        try {
            if (settings.inProcess()) {
                return rawInProcess(name, mode, queue, feed.messages(), warmupQueue, warmup.messages());
            }
            List<String> args = List.of(sqs.endpoint(), queue, mode, Integer.toString(settings.consumers()),
                    Integer.toString(feed.messages()), Integer.toString(settings.waitTimeSeconds()), warmupQueue,
                    Integer.toString(warmup.messages()));
            try (ChildJvm loop = ChildJvm.startClass("raw-" + name, List.of("-Xmx512m", "-XX:+UseG1GC"),
                    RawSqsLoop.class.getName(), args, settings.workDir())) {
                loop.await("READY", Duration.ofMinutes(5));
                long started = System.nanoTime();
                loop.send("GO");
                String[] done = loop.await("DONE ", drainTimeout(feed.messages())).split(" ");
                long took = System.nanoTime() - started;
                return new Drain(name, Integer.parseInt(done[0]), Duration.ofNanos(took),
                        Duration.ofNanos(Long.parseLong(done[2])));
            }
        } finally {
            sqs.deleteQueue("bench-" + name.toLowerCase());
            sqs.deleteQueue("bench-" + name.toLowerCase() + "-warmup");
        }
    }

    /** The smoke run's baseline: the same loop on threads of this JVM (CPU time is then this whole JVM's). */
    private Drain rawInProcess(String name, String mode, String queue, int messages, String warmupQueue, int warmup)
            throws InterruptedException {
        RawSqsLoop loop = RawSqsLoop.create(context.sqs.endpoint(), mode, settings.consumers(), settings.waitTimeSeconds());
        loop.drain(warmupQueue, warmup);
        long cpuBefore = RawSqsLoop.processCpuNanos();
        long started = System.nanoTime();
        long deleted = loop.drain(queue, messages);
        return new Drain(name, (int) deleted, Duration.ofNanos(System.nanoTime() - started),
                Duration.ofNanos(RawSqsLoop.processCpuNanos() - cpuBefore));
    }

    private static Duration drainTimeout(int messages) {
        return Duration.ofSeconds(Math.max(600, messages / 20));
    }

    // ---- Switchboard

    private void warmUp(SwitchboardControl switchboard) throws Exception {
        EventFeed warmup = EventFeed.plan(RUN_SWITCHBOARD_WARMUP, settings.warmupEvents(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED + 1);
        DeliveryLedger ledger = context.sinks.track(warmup);
        String queue = queueUrl();
        context.sqs.sendBatches(queue, 0, warmup.messages(), warmup::message, 4);
        switchboard.startRoute(BenchContext.CONSUMER_ROUTE);
        awaitDrained(ledger, warmup.unique(), queue, drainTimeout(warmup.messages()));
        switchboard.stopRoute(BenchContext.CONSUMER_ROUTE);
        context.sinks.forget(warmup);
    }

    private Drain drain(SwitchboardControl switchboard, EventFeed feed, Map<String, Object> details) throws Exception {
        DeliveryLedger ledger = context.sinks.track(feed);
        String queue = queueUrl();
        context.sqs.sendBatches(queue, 0, feed.messages(), feed::message, 4);
        Duration cpuBefore = switchboard.cpu();
        long started = System.nanoTime();
        switchboard.startRoute(BenchContext.CONSUMER_ROUTE);
        boolean complete = awaitDrained(ledger, feed.unique(), queue, drainTimeout(feed.messages()));
        Duration cpu = switchboard.cpu().minus(cpuBefore);
        long ended = complete ? ledger.lastCompletionAt() : System.nanoTime();
        long[] lost = ledger.lostPerSink();
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("completedWithinTimeout", complete);
        delivery.put("eventsAtEverySink", ledger.complete());
        delivery.put("missingPerSink", Map.of(SinkServers.NAMES.get(0), lost[0], SinkServers.NAMES.get(1), lost[1],
                SinkServers.NAMES.get(2), lost[2]));
        delivery.put("repeatedDeliveries", ledger.repeats());
        delivery.put("orderViolations", ledger.orderViolations());
        delivery.put("wrongInteractionHeader", ledger.wrongInteraction());
        details.put("switchboardDelivery", delivery);
        context.sinks.forget(feed);
        return new Drain("Switchboard", feed.messages(), Duration.ofNanos(ended - started), cpu);
    }

    /** Until every distinct event reached every sink and the queue is empty; false on timeout. */
    private boolean awaitDrained(DeliveryLedger ledger, int distinct, String queue, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.complete() >= distinct && context.sqs.depth(queue) == 0) {
                return true;
            }
            Thread.sleep(ledger.complete() >= distinct ? 200 : 20);
        }
        return false;
    }

    private String queueUrl() {
        return context.sqs.client().getQueueUrl(b -> b.queueName(SwitchboardLauncher.Queues.EVENTS)).queueUrl();
    }

    private void rows(Drain switchboard, Drain b1, Drain b2, Map<String, Object> details) {
        @SuppressWarnings("unchecked")
        Map<String, Object> delivery = (Map<String, Object>) details.get("switchboardDelivery");
        boolean complete = (Boolean) delivery.get("completedWithinTimeout");
        report.row("events", "Switchboard drain: schema + dedupe (" + (settings.usesPostgres() ? "PostgreSQL" : "H2")
                        + ") + resequence + 3 sinks", Report.count(switchboard.perSecond()) + " events/s", "",
                complete ? Report.Verdict.INFO : Report.Verdict.FAILED);
        rawRows(b1, b2);
        double toB1 = switchboard.perSecond() / b1.perSecond();
        report.row("events", "Switchboard ÷ B1", Report.decimal(toB1, 2) + " ×", "≥ 0.80 ×",
                Report.Verdict.of(toB1 >= 0.8));
        report.info("events", "Switchboard ÷ B2", Report.decimal(switchboard.perSecond() / b2.perSecond(), 2) + " ×");
        report.info("events", "CPU-s per 1,000 events: Switchboard / B1 / B2",
                Report.decimal(switchboard.cpuSecondsPerThousand(), 3) + " / " + Report.decimal(b1.cpuSecondsPerThousand(), 3)
                        + " / " + Report.decimal(b2.cpuSecondsPerThousand(), 3));
        long lost = feedLost(delivery);
        report.row("events", "lost / repeated deliveries / out of order", lost + " / " + delivery.get("repeatedDeliveries")
                        + " / " + delivery.get("orderViolations"), "0 lost",
                Report.Verdict.of(lost == 0 && complete));
        details.put("ratioToB1", Math.round(toB1 * 1000) / 1000.0);
        details.put("ratioToB2", Math.round(switchboard.perSecond() / b2.perSecond() * 1000) / 1000.0);
    }

    private void rawRows(Drain b1, Drain b2) {
        if (b1 != null) {
            report.info("events", "B1 raw SDK: receive 10, delete each (mean of the runs before and after)",
                    Report.count(b1.perSecond()) + " events/s");
        }
        if (b2 != null) {
            report.info("events", "B2 raw SDK: receive 10, batch delete (mean of the runs before and after)",
                    Report.count(b2.perSecond()) + " events/s");
        }
    }

    private static long feedLost(Map<String, Object> delivery) {
        @SuppressWarnings("unchecked")
        Map<String, Long> missing = (Map<String, Long>) delivery.get("missingPerSink");
        return missing.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    // ---- latency

    private void latency(SwitchboardControl switchboard, double rate, boolean halfOfMeasured) throws Exception {
        Duration warm = settings.latencyWarmup();
        Duration measure = settings.latencyMeasure();
        int events = (int) Math.ceil(rate * (warm.toNanos() + measure.toNanos()) / 1e9);
        EventFeed feed = EventFeed.distinct(RUN_LATENCY, events, settings.interactions());
        DeliveryLedger ledger = context.sinks.track(feed);
        String queue = queueUrl();
        switchboard.startRoute(BenchContext.CONSUMER_ROUTE);
        Publisher publisher = Publisher.start(context.sqs.client(), queue, feed, ledger, rate);
        publisher.join();
        if (publisher.failures() > 0) {
            throw new IllegalStateException(publisher.failures() + " SendMessage calls failed");
        }
        long started = publisher.startedAt();
        long from = started + warm.toNanos();
        long to = from + measure.toNanos();
        awaitDrained(ledger, feed.unique(), queue, Duration.ofMinutes(2));
        Percentiles percentiles = Percentiles.of(ledger.completionLatencies(from, to));
        int incomplete = ledger.incompleteSentBetween(from, to);
        switchboard.stopRoute(BenchContext.CONSUMER_ROUTE);
        context.sinks.forget(feed);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rateEventsPerSecond", Math.round(rate));
        details.put("rate", halfOfMeasured ? "half the measured maximum" : "bench.latency.rate");
        details.put("warmup", warm.toString());
        details.put("measured", measure.toString());
        details.put("sendToLastSink", percentiles.toMap());
        details.put("notDeliveredWithin2Minutes", incomplete);
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            details.put("sendTo_" + SinkServers.NAMES.get(s), Percentiles.of(ledger.sinkLatencies(s, from, to)).toMap());
        }
        details.put("resequenceWindow", settings.resequenceWindow() == null ? "configured default (events.resequence-window)"
                : settings.resequenceWindow().toString());
        report.details("latency", details);
        report.info("latency", "rate (" + (halfOfMeasured ? "half the measured maximum" : "set") + ")",
                Report.count(rate) + " events/s, " + percentiles.count() + " events measured");
        report.row("latency", "send → last sink p50 / p95 / p99", percentiles.summary(), "p99 ≤ 250 ms",
                Report.Verdict.of(percentiles.count() > 0 && incomplete == 0 && percentiles.p99() <= 250e6));
    }
}
