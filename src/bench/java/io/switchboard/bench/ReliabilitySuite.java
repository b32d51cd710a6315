package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crash safety of the packaged Switchboard ({@code mvn -Preliability verify}): the jar runs as a separate process
 * against the SQS server and the three HTTP sinks of this harness (they outlive it), on an H2 file database.
 *
 * <ol>
 *   <li><b>SIGKILL trials</b> (10 × 5,000 events): publish, SIGKILL at a random point of the deliveries, restart,
 *       wait until quiet; per trial the events lost (must be 0) and the repeated deliveries, each judged against
 *       the store as the kill left it: a repeat is allowed only for a delivery still owed (in flight) at the kill,
 *       and must carry the same X-Event-Id and body.</li>
 *   <li><b>Sink down 60 s</b> under a steady load: the latency of the other two sinks before, during and after; the
 *       down sink's deliveries catch up afterwards (its dead letters redriven).</li>
 *   <li><b>SIGTERM under load</b>: the process must be gone within 30 s; after a restart nothing is lost.</li>
 * </ol>
 * Prints a table and writes {@code target/reliability.json}.
 */
public final class ReliabilitySuite {

    static final String QUEUE = "reliability-events";
    private static final int CRM = SinkServers.NAMES.indexOf("crm");
    private static final int RUN_TRIALS = 100;
    private static final int RUN_OUTAGE = 200;
    private static final int RUN_SIGTERM = 300;

    private final ReliabilitySettings settings;
    private final Report report;
    private final SqsServer sqs;
    private final SinkServers sinks;
    private final SwitchboardJar switchboard;
    private final String queueUrl;

    private ReliabilitySuite(ReliabilitySettings settings, Report report, SqsServer sqs, SinkServers sinks,
                             SwitchboardJar switchboard, String queueUrl) {
        this.settings = settings;
        this.report = report;
        this.sqs = sqs;
        this.sinks = sinks;
        this.switchboard = switchboard;
        this.queueUrl = queueUrl;
    }

    public static void main(String[] args) throws Exception {
        Report report = run(ReliabilitySettings.fromSystemProperties());
        boolean failed = report.rows().stream().anyMatch(row -> row.verdict() == Report.Verdict.FAILED);
        System.exit(failed ? 1 : 0);
    }

    static Report run(ReliabilitySettings settings) throws Exception {
        Files.createDirectories(settings.workDir());
        Report report = new Report("Switchboard reliability, " + Instant.now(), "scenario", settings.describe());
        long started = System.nanoTime();
        try (SqsServer sqs = new SqsServer(); SinkServers sinks = new SinkServers()) {
            String queueUrl = sqs.createQueue(QUEUE);
            sqs.createQueue(QUEUE + "-email-retry");
            try (SwitchboardJar switchboard = new SwitchboardJar(settings, sqs, sinks, QUEUE)) {
                Duration startup = switchboard.start();
                report.info("setup", "Switchboard " + switchboard.jar().getFileName() + ", -Xmx" + settings.heap(),
                        "healthy " + startup.toMillis() / 1000.0 + " s after launch");
                ReliabilitySuite suite = new ReliabilitySuite(settings, report, sqs, sinks, switchboard, queueUrl);
                suite.step("sigkill", suite::crashTrials);
                suite.step("sink-outage", suite::sinkOutage);
                suite.step("sigterm", suite::sigterm);
            }
        } finally {
            report.info("run", "wall-clock time of the whole run",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            report.write(settings.output());
            System.out.println();
            System.out.println(report.table());
            System.out.println("Details: " + settings.output().toAbsolutePath() + "; Switchboard's logs under "
                    + settings.workDir().toAbsolutePath());
        }
        return report;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String name, Step step) {
        try {
            System.out.println("== " + name + " (" + Instant.now() + ")");
            step.run();
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            e.printStackTrace();
            report.row(name, "the scenario broke", String.valueOf(e), "", Report.Verdict.FAILED);
        }
    }

    // ---- 1. SIGKILL at a random point, restart, wait until quiet

    private void crashTrials() throws Exception {
        Random random = new Random(settings.seed());
        List<Map<String, Object>> trials = new ArrayList<>();
        long lostTotal = 0;
        long repeatsTotal = 0;
        boolean allOk = true;
        for (int t = 1; t <= settings.trials(); t++) {
            EventFeed feed = EventFeed.plan(RUN_TRIALS + t, settings.eventsPerTrial(), settings.interactions(),
                    settings.duplicateShare(), 50, settings.seed() + t);
            Map<String, Object> trial = crashTrial(t, feed, 0.05 + 0.9 * random.nextDouble());
            trials.add(trial);
            lostTotal += (Long) trial.get("lost");
            repeatsTotal += (Long) trial.get("repeatedDeliveries");
            allOk &= (Boolean) trial.get("ok");
        }
        report.details("sigkill", trials);
        report.row("sigkill", settings.trials() + " trials: lost / repeated deliveries in all", lostTotal + " / "
                + repeatsTotal, "0 lost; repeats only of deliveries in flight", Report.Verdict.of(allOk));
    }

    private Map<String, Object> crashTrial(int number, EventFeed feed, double killFraction) throws Exception {
        DeliveryLedger ledger = sinks.track(feed);
        long deliveries = (long) feed.unique() * SinkServers.NAMES.size();
        long killAt = Math.max(1, (long) (killFraction * deliveries));
        Thread publisher = new Thread(() -> {
            try {
                sqs.sendBatches(queueUrl, 0, feed.messages(), feed::message, 2);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "reliability-publisher");
        publisher.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (ledger.firstReceipts() < killAt && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        boolean[] completeAtKill = ledger.completeNow();
        long deliveredAtKill = ledger.firstReceipts();
        long killedAt = System.nanoTime();
        switchboard.kill();
        StoreAcknowledgements store = StoreAcknowledgements.read(switchboard.jdbcUrl(), feed);
        publisher.join();
        Duration startup = switchboard.start();
        boolean quiet = awaitQuiet(ledger, feed.unique(), Duration.ofMinutes(5));
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);

        long[] lostPerSink = ledger.lostPerSink();
        long lost = 0;
        for (long l : lostPerSink) {
            lost += l;
        }
        long repeats = 0;
        long unjustified = 0;
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            for (int e = 0; e < feed.unique(); e++) {
                int extra = Math.max(0, ledger.receipts(s, e) - 1);
                if (extra == 0) {
                    continue;
                }
                repeats += extra;
                boolean owed = store != null ? !store.acknowledged(s, e) : !completeAtKill[e];
                if (!owed) {
                    unjustified += extra;
                }
            }
        }
        long changed = ledger.changedRepeats() + ledger.wrongInteraction();
        boolean ok = quiet && lost == 0 && unjustified == 0 && changed == 0;
        sinks.forget(feed);

        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("trial", number);
        trial.put("messages", feed.messages());
        trial.put("distinctEvents", feed.unique());
        trial.put("killedAfterDeliveries", deliveredAtKill);
        trial.put("ofDeliveries", deliveries);
        trial.put("owedInStoreAtKill", store == null ? "unknown" : store.pending());
        trial.put("restartToHealthySeconds", startup.toMillis() / 1000.0);
        trial.put("killToQuietSeconds", recovery.toMillis() / 1000.0);
        trial.put("quiet", quiet);
        trial.put("lost", lost);
        trial.put("lostPerSink", Map.of(SinkServers.NAMES.get(0), lostPerSink[0], SinkServers.NAMES.get(1),
                lostPerSink[1], SinkServers.NAMES.get(2), lostPerSink[2]));
        trial.put("repeatedDeliveries", repeats);
        trial.put("repeatsOfAcknowledgedDeliveries", unjustified);
        trial.put("repeatsWithOtherBodyOrHeaders", changed);
        trial.put("orderViolations", ledger.orderViolations());
        trial.put("ok", ok);
        report.row("sigkill", String.format("trial %d: SIGKILL after %,d of %,d deliveries (%.0f %%)", number,
                        deliveredAtKill, deliveries, 100.0 * deliveredAtKill / deliveries),
                String.format("lost %d, repeated %d (%d not owed at the kill), quiet %.0f s after the kill", lost,
                        repeats, unjustified, recovery.toMillis() / 1000.0),
                "0 lost", Report.Verdict.of(ok));
        System.out.println("sigkill trial " + number + ": " + trial);
        return trial;
    }

    /** Every event at every sink, the queue empty, and no delivery for 2 s. */
    private boolean awaitQuiet(DeliveryLedger ledger, int distinct, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.complete() >= distinct && System.nanoTime() - ledger.lastReceiptAt() > 2_000_000_000L
                    && sqs.depth(queueUrl) == 0) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    // ---- 2. a sink down for 60 s under load

    private void sinkOutage() throws Exception {
        Duration calm = settings.outageCalm();
        Duration outage = settings.outage();
        // a warm-up as long as the calm periods (not measured), calm, outage, calm
        int events = (int) Math.ceil(settings.loadRate() * (3 * calm.toNanos() + outage.toNanos()) / 1e9);
        EventFeed feed = EventFeed.distinct(RUN_OUTAGE, events, settings.interactions());
        DeliveryLedger ledger = sinks.track(feed);
        Publisher publisher = Publisher.start(sqs.client(), queueUrl, feed, ledger, settings.loadRate());
        long start = publisher.startedAt() + calm.toNanos();
        sleepUntil(start + calm.toNanos());
        long down = System.nanoTime();
        sinks.takeDown(CRM);
        sleepUntil(down + outage.toNanos());
        long up = System.nanoTime();
        sinks.bringBack(CRM);
        publisher.join();
        long end = System.nanoTime();

        // the healthy sinks get everything; crm catches up, except what became a dead letter while it was down
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        int deadLetters = 0;
        while (System.nanoTime() < deadline) {
            deadLetters = crmDeadLetters();
            if (received(ledger, 0, feed) == feed.unique() && received(ledger, 2, feed) == feed.unique()
                    && received(ledger, CRM, feed) + deadLetters >= feed.unique()) {
                break;
            }
            Thread.sleep(1000);
        }
        int crmAfterOutage = received(ledger, CRM, feed);
        // as an operator would: every dead letter of the sink at once (the list answers a page, 50 by default)
        int redriven = new ObjectMapper().readTree(switchboard.post("/api/dead-letters/redrive?source=events-sink-crm"))
                .path("redriven").asInt();
        boolean caughtUp = awaitQuiet(ledger, feed.unique(), Duration.ofMinutes(3));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rateEventsPerSecond", settings.loadRate());
        details.put("events", feed.unique());
        details.put("downSink", "crm (answers 503 to everything)");
        details.put("outage", outage.toString());
        details.put("warmupBeforeMeasuring", calm.toString());
        List<String> healthy = List.of(SinkServers.NAMES.get(0), SinkServers.NAMES.get(2));
        boolean steady = true;
        StringBuilder summary = new StringBuilder();
        for (int sink : new int[] {0, 2}) {
            Percentiles before = Percentiles.of(ledger.sinkLatencies(sink, start, down));
            Percentiles during = Percentiles.of(ledger.sinkLatencies(sink, down, up));
            Percentiles after = Percentiles.of(ledger.sinkLatencies(sink, up, end));
            details.put(SinkServers.NAMES.get(sink), Map.of("before", before.toMap(), "during", during.toMap(),
                    "after", after.toMap()));
            steady &= during.p99() <= before.p99() * 1.5 + 50e6;
            summary.append(summary.isEmpty() ? "" : "; ").append(SinkServers.NAMES.get(sink)).append(' ')
                    .append(Report.ms(before.p99())).append(" → ").append(Report.ms(during.p99())).append(" → ")
                    .append(Report.ms(after.p99()));
        }
        long lostHealthy = ledger.lostPerSink()[0] + ledger.lostPerSink()[2];
        long lostCrm = ledger.lostPerSink()[CRM];
        details.put("crmDeliveredBeforeRedrive", crmAfterOutage);
        details.put("crmDeadLettersRedriven", redriven);
        details.put("crmMissingAtEnd", lostCrm);
        details.put("answered503WhileDown", sinks.refused());
        details.put("repeatedDeliveries", ledger.repeats());
        details.put("orderViolations", ledger.orderViolations());
        report.details("sink-outage", details);
        sinks.forget(feed);
        report.row("sink-outage", "p99 of " + healthy + " before → during → after crm is down " + outage.toSeconds()
                + " s (" + Report.count(settings.loadRate()) + " events/s)", summary.toString(),
                "does not move", Report.Verdict.of(steady && lostHealthy == 0));
        report.row("sink-outage", "crm after it came back: caught up / dead letters redriven / missing",
                crmAfterOutage + " / " + redriven + " / " + lostCrm, "0 missing",
                Report.Verdict.of(caughtUp && lostCrm == 0));
    }

    private static int received(DeliveryLedger ledger, int sink, EventFeed feed) {
        int received = 0;
        for (int e = 0; e < feed.unique(); e++) {
            if (ledger.receipts(sink, e) > 0) {
                received++;
            }
        }
        return received;
    }

    /** How many dead letters the crm sink has (the list's total, not its first page). */
    private int crmDeadLetters() throws Exception {
        return new ObjectMapper().readTree(switchboard.get("/api/dead-letters?source=events-sink-crm&limit=1"))
                .path("total").asInt();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    // ---- 3. SIGTERM under load

    private void sigterm() throws Exception {
        Duration before = settings.loadBeforeSigterm();
        int events = (int) Math.ceil(settings.loadRate() * (before.toNanos() / 1e9 + 5));
        EventFeed feed = EventFeed.distinct(RUN_SIGTERM, events, settings.interactions());
        DeliveryLedger ledger = sinks.track(feed);
        Publisher publisher = Publisher.start(sqs.client(), queueUrl, feed, ledger, settings.loadRate());
        sleepUntil(publisher.startedAt() + before.toNanos());
        long deliveredAtSignal = ledger.firstReceipts();
        Duration took = switchboard.terminate(settings.drainLimit());
        int exitCode = switchboard.exitCode();
        StoreAcknowledgements store = StoreAcknowledgements.read(switchboard.jdbcUrl(), feed);
        publisher.join();
        Duration startup = switchboard.start();
        boolean quiet = awaitQuiet(ledger, feed.unique(), Duration.ofMinutes(5));
        long lost = 0;
        for (long l : ledger.lostPerSink()) {
            lost += l;
        }
        sinks.forget(feed);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rateEventsPerSecond", settings.loadRate());
        details.put("events", feed.unique());
        details.put("deliveriesBeforeSigterm", deliveredAtSignal);
        details.put("sigtermToExitSeconds", took.toMillis() / 1000.0);
        details.put("exitCode", exitCode);
        details.put("deliveriesOwedAtExit", store == null ? "unknown" : store.pending());
        details.put("restartToHealthySeconds", startup.toMillis() / 1000.0);
        details.put("lost", lost);
        details.put("repeatedDeliveries", ledger.repeats());
        report.details("sigterm", details);
        report.row("sigterm", "SIGTERM under " + Report.count(settings.loadRate()) + " events/s: exit after",
                Report.decimal(took.toMillis() / 1000.0, 1) + " s (exit code " + exitCode + ", "
                        + (store == null ? "?" : store.pending()) + " deliveries left owed in the store)",
                "< " + settings.drainLimit().toSeconds() + " s", Report.Verdict.of(took.compareTo(settings.drainLimit()) < 0));
        report.row("sigterm", "after the restart: lost / repeated deliveries", lost + " / " + ledger.repeats(),
                "0 lost", Report.Verdict.of(quiet && lost == 0));
    }
}
