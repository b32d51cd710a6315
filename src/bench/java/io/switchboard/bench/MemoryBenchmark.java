package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live heap as events pile up: a fresh Switchboard with {@code -Xmx512m} drains {@code memoryEvents} messages
 * (same mix as the throughput run: 10 % duplicates, shuffled within the window) while the harness keeps feeding
 * the queue (at most {@value #MAX_QUEUED} waiting). At 0, 25 %, 50 % and 100 % of them (250 k, 500 k, 1 M by
 * default) the feed pauses until every event so far has reached every sink, and the live heap is measured after
 * full GCs. The event store and idempotency keys grow with every event; the heap must not.
 */
final class MemoryBenchmark {

    static final int MAX_QUEUED = 20_000;
    private static final int RUN = 4;
    private static final long SEED = 4_242L;
    private static final long LIMIT_BYTES = 256L * 1024 * 1024;

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
        try (BenchContext.Lease lease = context.switchboard("memory", settings.memoryHeap())) {
            SwitchboardControl switchboard = lease.switchboard;
            if (!switchboard.routes().contains(BenchContext.CONSUMER_ROUTE)) {
                report.row("memory", "live heap after GC", "-", "flat, ≤ 256 MB at 1 M", Report.Verdict.SKIPPED);
                report.details("memory", "the events pipeline is not in this build");
                return;
            }
            DeliveryLedger ledger = context.sinks.track(feed);
            String queue = context.sqs.client().getQueueUrl(b -> b.queueName(SwitchboardLauncher.Queues.EVENTS)).queueUrl();
            List<Checkpoint> checkpoints = new ArrayList<>();
            switchboard.startRoute(BenchContext.CONSUMER_ROUTE);
            long started = System.nanoTime();
            checkpoints.add(new Checkpoint(0, switchboard.liveHeapAfterGc(), 0));
            switchboard.resetHeapPeaks();
            int sent = 0;
            boolean complete = true;
            for (int target : new int[] {total / 4, total / 2, total}) {
                sent = feed(queue, feed, sent, target);
                int distinct = distinctAmongFirst(feed, target);
                complete &= awaitDelivered(ledger, distinct, queue);
                double seconds = (System.nanoTime() - started) / 1e9;
                checkpoints.add(new Checkpoint(target, switchboard.liveHeapAfterGc(), seconds));
                System.out.printf("memory: %,d events processed in %.0f s, live heap %s%n", target, seconds,
                        Report.mb(checkpoints.get(checkpoints.size() - 1).liveBytes()));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            SwitchboardControl.HeapPeaks peaks = switchboard.heapPeaks();
            switchboard.stopRoute(BenchContext.CONSUMER_ROUTE);
            context.sinks.forget(feed);
            record(checkpoints, peaks, ledger, complete, seconds);
        }
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

    private void record(List<Checkpoint> checkpoints, SwitchboardControl.HeapPeaks peaks, DeliveryLedger ledger,
                        boolean complete, double seconds) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("heapMax", Report.mb(peaks.max()));
        details.put("checkpoints", checkpoints.stream().map(Checkpoint::toMap).toList());
        details.put("peakHeapAfterAnyGcMb", Report.toMb(peaks.afterGc()));
        details.put("peakHeapUsedMb", Report.toMb(peaks.used()));
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
        long last = checkpoints.get(checkpoints.size() - 1).liveBytes();
        long quarter = checkpoints.get(1).liveBytes();
        // flat: from the first quarter to the end, the live set grows by less than a quarter (noise, caches filling)
        boolean flat = last <= quarter * 1.25 + 16L * 1024 * 1024;
        report.row("memory", "live heap after GC at " + points + " events (-Xmx" + settings.memoryHeap() + ")",
                curve.toString(), "flat, ≤ 256 MB at the end", Report.Verdict.of(complete && flat && last <= LIMIT_BYTES));
        report.info("memory", "peak heap after any GC / peak used", Report.mb(peaks.afterGc()) + " / " + Report.mb(peaks.used()));
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
