package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live heap as events pile up: a fresh Switchboard (the packaged jar, {@code -Xmx512m}, a black box) warms up on
 * {@code warmup-events}, then drains {@code memoryEvents} messages (same mix as the throughput run: 10 % duplicates,
 * shuffled within the window) while the harness keeps feeding its queue (at most {@value #MAX_QUEUED} waiting). At
 * 0, 25 %, 50 % and 100 % of them (250 k, 500 k, 1 M by default) the feed pauses until every event so far has
 * reached every sink, and a class histogram is taken ({@code jcmd GC.class_histogram}: after a full GC, so its
 * total is the live heap). The growth from 0 to the end must stay within {@value #GROWTH_LIMIT_MB} MB; the classes
 * that grew most say why it grows.
 */
final class MemoryBenchmark {

    static final int MAX_QUEUED = 20_000;
    static final int GROWTH_LIMIT_MB = 5;
    private static final int RUN = 4;
    private static final long SEED = 4_242L;

    private final BenchContext context;
    private final BenchSettings settings;
    private final Report report;

    MemoryBenchmark(BenchContext context) {
        this.context = context;
        this.settings = context.settings;
        this.report = context.report;
    }

    record Checkpoint(int processed, long liveBytes, double secondsSinceStart) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("processedEvents", processed);
            map.put("liveHeapMb", Report.toMb(liveBytes));
            map.put("secondsSinceStart", Math.round(secondsSinceStart * 10) / 10.0);
            return map;
        }
    }

    void run() throws Exception {
        int total = settings.memoryEvents();
        EventFeed feed = EventFeed.plan(RUN, total, settings.interactions(), settings.duplicateShare(),
                settings.shuffleBlock(), SEED);
        EventFeed warmup = EventFeed.plan(RUN + 1, settings.warmupEvents(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED + 1);
        context.sinks.answerAfter(Duration.ZERO);
        try (BenchDatabase databases = new BenchDatabase(settings);
             Measured switchboard = start(databases)) {
            String queue = switchboard.queueUrl();
            DeliveryLedger warm = context.sinks.track(warmup);
            context.sqs.sendBatches(queue, 0, warmup.messages(), warmup::message, 2);
            awaitDelivered(warm, warmup.unique(), queue);
            context.sinks.forget(warmup);

            DeliveryLedger ledger = context.sinks.track(feed);
            List<Checkpoint> checkpoints = new ArrayList<>();
            long started = System.nanoTime();
            HeapHistogram first = HeapHistogram.of(switchboard.pid());
            HeapHistogram last = first;
            checkpoints.add(new Checkpoint(0, first.totalBytes(), 0));
            int sent = 0;
            boolean complete = true;
            for (int target : checkpoints(total, settings.memoryCheckpoints())) {
                sent = feed(queue, feed, sent, target);
                int distinct = distinctAmongFirst(feed, target);
                complete &= awaitDelivered(ledger, distinct, queue);
                double seconds = (System.nanoTime() - started) / 1e9;
                last = HeapHistogram.of(switchboard.pid());
                checkpoints.add(new Checkpoint(target, last.totalBytes(), seconds));
                System.out.printf("memory: %,d events processed in %.0f s, live heap %s%n", target, seconds,
                        Report.mb(last.totalBytes()));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            context.sinks.forget(feed);
            record(checkpoints, last.grownSince(first, 15), ledger, complete, seconds);
        }
    }

    /** The Switchboard whose heap is measured, the queue it reads, and how it is let go. */
    private record Measured(String queueUrl, long pid, AutoCloseable release) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            release.close();
        }
    }

    /**
     * A fresh Switchboard of its own (the packaged jar, a black box, {@code -Xmx} of its own) on a queue of its own.
     * The smoke run borrows the shared Switchboard in this JVM instead, its SQS consumer started on cue: its heap is
     * the harness's, so the curve means nothing there, and one start of Spring Boot fewer keeps the run short.
     */
    private Measured start(BenchDatabase databases) throws Exception {
        if (settings.inProcess()) {
            String queueUrl = context.sqs.createQueue(SwitchboardLauncher.Queues.EVENTS);
            BenchContext.Lease lease = context.switchboard("memory", settings.memoryHeap());
            try {
                lease.switchboard.startRoute(BenchContext.CONSUMER_ROUTE);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
            return new Measured(queueUrl, ProcessHandle.current().pid(), lease);
        }
        String queueName = "bench-memory";
        String queueUrl = context.sqs.createQueue(queueName);
        SwitchboardEngine engine;
        try {
            engine = SwitchboardEngine.start("memory", settings, context.sqs, context.sinks, queueName,
                    databases.create(database(), "memory"), Map.of(), settings.memoryHeap());
        } catch (Exception | Error e) {
            context.sqs.deleteQueue(queueName);
            throw e;
        }
        return new Measured(queueUrl, engine.pid(), () -> {
            try {
                engine.close();
            } finally {
                context.sqs.deleteQueue(queueName);
            }
        });
    }

    /** {@code bench.memory.database}: H2 (a file, the default) or PostgreSQL ({@code bench.postgres-url}). */
    private BenchDatabase.Kind database() {
        return switch (settings.memoryDatabase()) {
            case "h2", "" -> BenchDatabase.Kind.H2;
            case "postgres" -> {
                if (!settings.usesPostgres()) {
                    throw new IllegalArgumentException("bench.memory.database=postgres needs bench.postgres-url");
                }
                yield BenchDatabase.Kind.POSTGRES;
            }
            default -> throw new IllegalArgumentException("bench.memory.database: h2 or postgres, not "
                    + settings.memoryDatabase());
        };
    }

    /**
     * Where the curve is taken after the start: 1/4, 1/2 and all of {@code total} by default (3); the last
     * {@code count} of those (1: at the end only, as the smoke run takes it).
     */
    static int[] checkpoints(int total, int count) {
        int[] all = {total / 4, total / 2, total};
        int n = Math.max(1, Math.min(all.length, count));
        return java.util.Arrays.copyOfRange(all, all.length - n, all.length);
    }

    /** Sends messages [sent, target), never letting more than {@link #MAX_QUEUED} wait in the queue. */
    private int feed(String queue, EventFeed feed, int sent, int target) throws Exception {
        int chunk = 2_000;
        while (sent < target) {
            while (context.sqs.depth(queue) > MAX_QUEUED - chunk) {
                Thread.sleep(100);
            }
            int until = Math.min(target, sent + chunk);
            context.sqs.sendBatches(queue, sent, until, feed::message, 2);
            sent = until;
        }
        return sent;
    }

    private static int distinctAmongFirst(EventFeed feed, int messages) {
        boolean[] seen = new boolean[feed.unique()];
        int distinct = 0;
        for (int i = 0; i < messages; i++) {
            int event = feed.eventAt(i);
            if (!seen[event]) {
                seen[event] = true;
                distinct++;
            }
        }
        return distinct;
    }

    private boolean awaitDelivered(DeliveryLedger ledger, int distinct, String queue) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.complete() >= distinct && context.sqs.depth(queue) == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private void record(List<Checkpoint> checkpoints, List<Map<String, Object>> grown, DeliveryLedger ledger,
                        boolean complete, double seconds) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("heapMax", "-Xmx" + settings.memoryHeap());
        details.put("database", settings.inProcess() ? "the shared in-process Switchboard's" : database().label);
        details.put("checkpoints", checkpoints.stream().map(Checkpoint::toMap).toList());
        details.put("classesGrownMost", grown);
        details.put("sustainedEventsPerSecond", Math.round(settings.memoryEvents() / seconds));
        details.put("allDelivered", complete);
        details.put("repeatedDeliveries", ledger.repeats());
        details.put("orderViolations", ledger.orderViolations());
        report.details("memory", details);

        StringBuilder curve = new StringBuilder();
        for (Checkpoint checkpoint : checkpoints) {
            curve.append(curve.isEmpty() ? "" : " / ").append(Report.mb(checkpoint.liveBytes()));
        }
        String points = checkpoints.stream().map(c -> label(c.processed())).reduce((a, b) -> a + " / " + b).orElse("");
        long growth = checkpoints.get(checkpoints.size() - 1).liveBytes() - checkpoints.get(0).liveBytes();
        String on = settings.inProcess() ? "" : ", " + database().label;
        report.info("memory", "live heap (class histogram after full GC) at " + points + " events (-Xmx"
                + settings.memoryHeap() + on + ")", curve.toString());
        report.row("memory", "live heap growth over " + label(settings.memoryEvents()) + " events" + on, Report.mb(growth),
                "≤ " + GROWTH_LIMIT_MB + " MB", Report.Verdict.of(complete && growth <= GROWTH_LIMIT_MB * 1024L * 1024));
        StringBuilder top = new StringBuilder();
        for (Map<String, Object> row : grown.subList(0, Math.min(5, grown.size()))) {
            top.append(top.isEmpty() ? "" : ", ").append(row.get("class")).append(" +")
                    .append(Report.mb((Long) row.get("bytesGrown")));
        }
        report.info("memory", "classes that grew most (0 → end)", top.toString());
        report.info("memory", "sustained rate while feeding", Report.count(settings.memoryEvents() / seconds) + " events/s");
    }

    private static String label(int events) {
        if (events >= 1_000_000 && events % 1_000_000 == 0) {
            return events / 1_000_000 + " M";
        }
        if (events >= 1_000 && events % 1_000 == 0) {
            return events / 1_000 + " k";
        }
        return Integer.toString(events);
    }
}
