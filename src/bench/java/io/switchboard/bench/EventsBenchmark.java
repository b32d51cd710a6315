package io.switchboard.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events pipeline against what could be written instead, in one run, on the same SQS server and the same
 * three sinks: the bare SDK loops B1–B4 ({@link BaselineLoop}), what a Camel user writes from the documentation
 * (N1, {@link CamelUserPipeline}) and Switchboard (the packaged jar as a black box, {@link SwitchboardEngine}).
 *
 * <p><b>A drain.</b> Each engine starts in its own JVM on a queue of its own, warms up on a live feed, and is then
 * given {@code events} messages ({@link EventFeed}: 100 interactions, 10 % re-sent duplicates, shuffled within the
 * window) preloaded while its requests to the SQS server are held at a gate, and let through at a moment T
 * ({@link SqsServer#preloadHeld}): the engine is already polling, nothing inside it is started or stopped, so any
 * pipeline can be measured the same way. A drain
 * runs from T to the moment every distinct event reached every sink and the queue is empty (B1, B2: the queue is
 * empty). CPU over the same interval: machine-wide from {@code /proc/stat} (every process: the engine, the harness
 * with the SQS server and the sinks, and anything else running), and the run's own two processes.
 *
 * <p><b>Slow sinks.</b> Every engine that delivers drains {@code slow.events} more messages while the sinks answer
 * after {@code slow.delay} (50 ms): concurrency per sink is then what counts. For Switchboard that drain is also
 * its <b>backlog</b>: all of it arrives at once and must be caught up; it is compared with the <b>live</b> rate,
 * the same number of events published one by one at {@code backlog.live-rate} while it runs.
 *
 * <p><b>Rounds.</b> Engines run in the order B1 … Switchboard, then (second round) in reverse; each figure is the
 * mean of its rounds, so a machine whose load drifts (a shared one) favours no engine. The engines that record
 * (B4, N1, Switchboard) run on H2, and also on PostgreSQL when {@code bench.postgres-url} is set.
 *
 * <p><b>Latency.</b> After its first drain on {@code bench.latency.database} (H2 unless set), Switchboard gets
 * distinct events sent one SendMessage each at half its measured rate; an event's latency runs from just before its
 * SendMessage to its receipt at the last sink, and is split at the event's recording time in the store (send →
 * recorded, recorded → last sink). The other engines named in {@code bench.latency.engines} (e.g. B4, the durable
 * floor) get the same after their first drain there, at the same rate, as a yardstick for the machine: list
 * Switchboard first in {@code bench.engines}.
 */
final class EventsBenchmark {

    private static final long SEED = 20_251_121L;
    private static final AtomicInteger RUNS = new AtomicInteger(100);
    private static final Duration POLL = Duration.ofMillis(20);
    /** A preload whose latest send went out later than this was paced faster than the harness could send. */
    private static final long LATE_PRELOAD_MS = 500;

    private final BenchContext context;
    private final BenchSettings settings;
    private final Report report;
    private final BenchDatabase databases;
    /**
     * The pace preloads are planned at: messages per second this harness can send with a delay, learnt from the
     * preloads themselves ({@link #learnPace}). A live feed's pace is no guide: on a 2-core AMD EPYC the delayed sends
     * managed half of it, and planned at it the preloads became visible over 10-20 s instead of one.
     */
    private double preloadPerSecond = 2_000;
    /** Latency rows, added after the events rows. */
    private final List<Runnable> latencyRows = new ArrayList<>();
    /** Half Switchboard's rate in its first drain on the latency run's database: every engine's latency rate, unless set. */
    private double halfOfSwitchboard;

    EventsBenchmark(BenchContext context) {
        this.context = context;
        this.settings = context.settings;
        this.report = context.report;
        this.databases = new BenchDatabase(settings);
    }

    /** One drain of preloaded messages by one engine. */
    /**
     * {@code late}: how late (ms) the preload's latest send went out, so how late its messages became visible.
     * {@code orderViolations}: deliveries after a later event of their interaction, as the sinks saw them;
     * {@code order}: the same judged by the order guarantee with the store's recording times (Switchboard only,
     * null until judged); {@code preload}: how far the preload's batches became visible out of their planned order.
     */
    record Drain(int messages, int distinct, Duration took, CpuMeter.Used cpu, boolean complete, long lost,
                 long repeats, long orderViolations, int late, OrderCheck order, Map<String, Object> preload) {

        Drain judged(OrderCheck check) {
            return new Drain(messages, distinct, took, cpu, complete, lost, repeats, orderViolations, late, check,
                    preload);
        }

        double perSecond() {
            return messages / (took.toNanos() / 1e9);
        }

        /** Distinct events each sink received per second. */
        double distinctPerSecond() {
            return distinct / (took.toNanos() / 1e9);
        }

        double machineCpuPerThousand() {
            return cpu.machineSecondsPerThousand(messages);
        }

        double ownCpuPerThousand() {
            return cpu.ownSecondsPerThousand(messages);
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("messages", messages);
            map.put("distinctEvents", distinct);
            map.put("seconds", took.toMillis() / 1000.0);
            map.put("eventsPerSecond", Math.round(perSecond()));
            map.put("distinctEventsPerSecondPerSink", Math.round(distinctPerSecond()));
            map.put("machineCpuSeconds", cpu.machine().toMillis() / 1000.0);
            map.put("machineCpuSecondsPer1000Events", round3(machineCpuPerThousand()));
            map.put("machineUtilisation", round3(cpu.machineUtilisation()));
            map.put("ownProcessesCpuSecondsPer1000Events", round3(ownCpuPerThousand()));
            map.put("complete", complete);
            map.put("lostAtSomeSink", lost);
            map.put("repeatedDeliveries", repeats);
            map.put("orderViolations", orderViolations);
            map.put("preloadLatestSendLateMs", late);
            if (preload != null) {
                map.put("preload", preload);
            }
            if (order != null) {
                map.put("order", order.toMap());
            }
            return map;
        }

        /** The mean of the rounds. */
        static Drain mean(List<Drain> drains) {
            Drain first = drains.get(0);
            if (drains.size() == 1) {
                return first;
            }
            Duration took = Duration.ZERO;
            Duration machine = Duration.ZERO;
            Duration own = Duration.ZERO;
            double utilisation = 0;
            boolean complete = true;
            long lost = 0;
            long repeats = 0;
            long order = 0;
            int late = 0;
            for (Drain d : drains) {
                took = took.plus(d.took());
                machine = machine.plus(d.cpu().machine());
                own = own.plus(d.cpu().own());
                utilisation += d.cpu().machineUtilisation();
                complete &= d.complete();
                lost = Math.max(lost, d.lost());
                repeats += d.repeats();
                order += d.orderViolations();
                late = Math.max(late, d.late());
            }
            int n = drains.size();
            return new Drain(first.messages(), first.distinct(), took.dividedBy(n),
                    new CpuMeter.Used(machine.dividedBy(n), own.dividedBy(n), utilisation / n), complete, lost,
                    repeats, order, late, OrderCheck.sum(drains.stream().map(Drain::order).toList()), first.preload());
        }
    }

    /** What one engine on one database did in every round. */
    private static final class Results {
        final List<Drain> fast = new ArrayList<>();
        final List<Drain> slow = new ArrayList<>();
    }

    void run(boolean throughput, boolean latency) throws Exception {
        Map<String, Results> results = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("messagesPerDrain", settings.events());
        details.put("slowSinkMessagesPerDrain", settings.slowEvents());
        details.put("interactions", settings.interactions());
        details.put("duplicateShare", settings.duplicateShare());
        details.put("consumers", settings.consumers());
        details.put("rounds", settings.rounds());
        List<BenchDatabase.Kind> kinds = settings.usesPostgres()
                ? List.of(BenchDatabase.Kind.H2, BenchDatabase.Kind.POSTGRES) : List.of(BenchDatabase.Kind.H2);
        List<String> engines = throughput ? settings.engines() : List.of("Switchboard");
        if (throughput) {
            warmHarness();
        }
        try {
            for (int round = 1; round <= Math.max(1, settings.rounds()); round++) {
                List<String> order = new ArrayList<>(engines);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                for (String engine : order) {
                    for (BenchDatabase.Kind kind : records(engine) ? kinds : List.of(BenchDatabase.Kind.H2)) {
                        boolean first = round == 1 && kind == BenchDatabase.Kind.H2;
                        boolean measureLatency = latency && settings.latencyEngines().contains(engine) && round == 1
                                && kind == latencyDatabase(kinds);
                        String key = key(engine, kind);
                        System.out.println("events: round " + round + ", " + key);
                        Results own = results.computeIfAbsent(key, k -> new Results());
                        try {
                            runEngine(engine, kind, own, throughput, engine.equals("Switchboard") && first,
                                    measureLatency, details);
                        } catch (Exception | Error e) {
                            // one engine that breaks (e.g. does not start) leaves the others' figures standing
                            e.printStackTrace();
                            report.row("events", key + ": the engine broke", String.valueOf(e), "",
                                    Report.Verdict.FAILED);
                        }
                    }
                }
            }
        } finally {
            databases.close();
        }
        if (throughput) {
            rows(results, details, kinds);
        }
        latencyRows.forEach(Runnable::run);
        report.details("events", details);
    }

    /**
     * Once per run, before the first engine: a preload that no engine reads, so that the first drain's preload is sent
     * by a harness as warm (its JIT, the SQS server's path for the sends) as every later one. Without it, on a
     * 2-core machine, the first drain's latest send went out 13-15 s late, the later drains' 1-4 s.
     */
    private void warmHarness() throws Exception {
        String queueName = "bench-harness-warm-up";
        String queueUrl = context.sqs.createQueue(queueName);
        EventFeed feed = EventFeed.plan(RUNS.incrementAndGet(), Math.min(settings.events(), 10_000),
                settings.interactions(), settings.duplicateShare(), settings.shuffleBlock(), SEED);
        SqsServer.Preload preload = preload(queueUrl, feed);
        System.out.printf("events: the harness warmed up on a preload of %,d messages (latest send %d ms late)%n",
                feed.messages(), preload.latestMs());
        learnPace(preload);
        context.sqs.deleteQueue(queueName);
    }

    /**
     * After a preload whose sends ran late: plan the next ones at the pace this one managed (the plan leaves half as
     * much time again). A late preload's messages became visible late, spread out and out of their order; such a drain
     * measures the harness as much as the engine, so the next one must not repeat it.
     */
    private void learnPace(SqsServer.Preload preload) {
        if (preload.latestMs() > LATE_PRELOAD_MS && preload.sentPerSecond() < preloadPerSecond) {
            preloadPerSecond = preload.sentPerSecond();
            System.out.printf("events: the harness sent %,.0f messages/s at most; later preloads are planned at that"
                    + " pace%n", preloadPerSecond);
        }
    }

    /** {@code bench.latency.database}: the store of the latency run, H2 (the default) or PostgreSQL. */
    private BenchDatabase.Kind latencyDatabase(List<BenchDatabase.Kind> kinds) {
        BenchDatabase.Kind kind = switch (settings.latencyDatabase()) {
            case "h2" -> BenchDatabase.Kind.H2;
            case "postgres" -> BenchDatabase.Kind.POSTGRES;
            default -> throw new IllegalArgumentException("bench.latency.database: h2 or postgres, not "
                    + settings.latencyDatabase());
        };
        if (!kinds.contains(kind)) {
            throw new IllegalArgumentException("bench.latency.database=postgres needs bench.postgres-url");
        }
        return kind;
    }

    private static boolean records(String engine) {
        return engine.equals("B4") || engine.equals("N1") || engine.equals("Switchboard");
    }

    private static boolean delivers(String engine) {
        return !engine.equals("B1") && !engine.equals("B2");
    }

    private static String key(String engine, BenchDatabase.Kind kind) {
        return records(engine) ? engine + " (" + kind.label + ")" : engine;
    }

    private void runEngine(String engine, BenchDatabase.Kind kind, Results results, boolean throughput,
                           boolean backlog, boolean latency, Map<String, Object> details) throws Exception {
        String queueName = "bench-" + engine.toLowerCase() + "-" + RUNS.incrementAndGet();
        String queueUrl = context.sqs.createQueue(queueName);
        context.sinks.answerAfter(Duration.ZERO);
        BenchDatabase.Target database = records(engine) ? databases.create(kind, engine) : null;
        List<Unjudged> unjudged = new ArrayList<>();
        List<AfterStop> afterStop = new ArrayList<>();
        try (Engine running = start(engine, queueName, queueUrl, database)) {
            warmUp(running, engine, queueUrl);
            if (throughput) {
                drain(running, engine, queueUrl, settings.events(), results.fast, unjudged);
                if (delivers(engine)) {
                    context.sinks.answerAfter(settings.slowDelay());
                    try {
                        drain(running, engine, queueUrl, settings.slowEvents(), results.slow, unjudged);
                        if (backlog) {
                            details.put("live", live(queueUrl));
                        }
                    } finally {
                        context.sinks.answerAfter(Duration.ZERO);
                    }
                }
            }
            if (latency) {
                Drain fast = results.fast.isEmpty() ? null : results.fast.get(0);
                if (engine.equals("Switchboard") && fast != null) {
                    halfOfSwitchboard = fast.perSecond() / 2;
                }
                double rate = settings.latencyRate() > 0 ? settings.latencyRate() : halfOfSwitchboard;
                if (rate <= 0) {
                    latencyRows.add(() -> report.row("latency", engine + ": send → last sink", "-", "p99 ≤ 100 ms",
                            Report.Verdict.SKIPPED));
                    report.details("latency " + engine, "no rate: run Switchboard's drains first (bench.engines"
                            + " lists it before " + engine + ") or set bench.latency.rate");
                } else {
                    latency(engine, queueUrl, database, rate, settings.latencyRate() <= 0, afterStop);
                }
            }
        } finally {
            context.sqs.deleteQueue(queueName);
        }
        if (engine.equals("Switchboard")) {
            judge(unjudged, database);
        }
        for (AfterStop step : afterStop) {
            try {
                step.run();
            } catch (SQLException | RuntimeException e) {
                System.err.println("events: " + engine + ": could not read the recording times (" + e + ")");
            }
        }
    }

    /** What reads the engine's store once it has stopped (an H2 file is locked while it runs). */
    private interface AfterStop {
        void run() throws SQLException;
    }

    /** A drain whose deliveries are still to be judged by the order guarantee, once the engine has stopped. */
    private record Unjudged(DeliveryLedger ledger, List<Drain> drains, int index, String what) {
    }

    /** Judges the drains' out-of-order deliveries with the recording times in the engine's store. */
    private void judge(List<Unjudged> unjudged, BenchDatabase.Target database) {
        Duration window = OrderCheck.window(settings);
        for (Unjudged u : unjudged) {
            try {
                OrderCheck check = OrderCheck.of(u.ledger(), OrderCheck.recordedAt(database, u.ledger().feed()), window);
                u.drains().set(u.index(), u.drains().get(u.index()).judged(check));
                System.out.println("events: " + u.what() + ": " + check.summary());
                check.examples().forEach(example -> System.out.println("events:   beyond the guarantee: " + example));
                if (check.outOfOrder() + check.unrecorded() < u.ledger().orderViolations()) {
                    System.out.println("events:   the sinks counted " + u.ledger().orderViolations() + " out of order");
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                System.err.println("events: could not judge the order of " + u.what() + " (" + e + ")");
            }
        }
    }

    private Engine start(String engine, String queueName, String queueUrl, BenchDatabase.Target database)
            throws Exception {
        if (engine.equals("Switchboard")) {
            return SwitchboardEngine.start(queueName, settings, context.sqs, context.sinks, queueName, database,
                    Map.of(), settings.eventsHeap());
        }
        Map<String, String> own = new LinkedHashMap<>();
        own.put("sqs.endpoint", context.sqs.engineEndpoint());
        own.put("sqs.queue-name", queueName);
        own.put("sqs.queue-url", queueUrl);
        own.put("consumers", Integer.toString(settings.consumers()));
        own.put("wait-time-seconds", Integer.toString(settings.waitTimeSeconds()));
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            own.put("sink." + s, context.sinks.url(s));
        }
        if (database != null) {
            own.putAll(database.toSettings());
        }
        return Engine.start(engine, own, settings.inProcess(), settings.eventsHeap(), settings.workDir());
    }

    /** A live feed of {@code warmup-events}, sent as fast as it goes. */
    private void warmUp(Engine engine, String name, String queueUrl) throws Exception {
        EventFeed warmup = EventFeed.plan(RUNS.incrementAndGet(), settings.warmupEvents(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED + 1);
        DeliveryLedger ledger = delivers(name) ? context.sinks.track(warmup) : null;
        context.sqs.sendBatches(queueUrl, 0, warmup.messages(), warmup::message, 4);
        boolean done = awaitDrained(ledger, warmup.unique(), queueUrl, drainTimeout(warmup.messages()));
        context.sinks.forget(warmup);
        if (!done) {
            throw new IllegalStateException(name + " did not finish its warm-up of " + warmup.messages() + " messages");
        }
    }

    /**
     * {@code messages} preloaded to become visible at once; timed from then to the last delivery. Added to
     * {@code drains}; noted in {@code unjudged} for its order to be judged once the engine has stopped.
     */
    private Drain drain(Engine engine, String name, String queueUrl, int messages, List<Drain> drains,
                        List<Unjudged> unjudged) throws Exception {
        EventFeed feed = EventFeed.plan(RUNS.incrementAndGet(), messages, settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED);
        DeliveryLedger ledger = delivers(name) ? context.sinks.track(feed) : null;
        SqsServer.Preload preload = preload(queueUrl, feed);
        long wait = preload.visibleAt() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        int late = (int) preload.latestMs();
        learnPace(preload);
        CpuMeter.Reading before = CpuMeter.read(engine.process());
        long started = System.nanoTime();
        boolean complete = awaitDrained(ledger, feed.unique(), queueUrl, drainTimeout(feed.messages()));
        long emptyAt = System.nanoTime();
        CpuMeter.Reading after = CpuMeter.read(engine.process());
        long ended = ledger == null ? emptyAt : Math.max(ledger.lastCompletionAt(), emptyAt - POLL.toNanos());
        long lost = 0;
        if (ledger != null) {
            for (long perSink : ledger.lostPerSink()) {
                lost = Math.max(lost, perSink);
            }
        }
        Drain drain = new Drain(feed.messages(), feed.unique(), Duration.ofNanos(Math.max(1, ended - started)),
                CpuMeter.between(before, after), complete, lost, ledger == null ? 0 : ledger.repeats(),
                ledger == null ? 0 : ledger.orderViolations(), late, null, preloadOrder(preload, feed));
        context.sinks.forget(feed);
        drains.add(drain);
        if (ledger != null) {
            unjudged.add(new Unjudged(ledger, drains, drains.size() - 1, name + " drain of " + messages + " (round "
                    + drains.size() + ")"));
        }
        System.out.printf("events: %s drained %,d messages in %.1f s (%,.0f/s); preload over %d s, sent at %,.0f/s,"
                        + " latest send %d ms late%n", name, feed.messages(), drain.took().toMillis() / 1000.0,
                drain.perSecond(), preload.slots(), preload.sentPerSecond(), late);
        System.out.println("events: preload order: " + drain.preload());
        return drain;
    }

    /** The feed put on the queue as {@code bench.preload} says. */
    private SqsServer.Preload preload(String queueUrl, EventFeed feed) throws Exception {
        return switch (settings.preload()) {
            case "in-order" -> context.sqs.preloadInOrder(queueUrl, feed.messages(), feed::message, 4,
                    preloadPerSecond / 10);
            case "at-once" -> context.sqs.preloadVisibleAt(queueUrl, feed.messages(), feed::message, 4,
                    preloadPerSecond / 10);
            default -> context.sqs.preloadHeld(queueUrl, feed.messages(), feed::message, 4, settings.waitTimeSeconds());
        };
    }

    /**
     * How far the preload's batches became visible out of their planned order: batches overtaken by at least as many
     * batches as hold one event of each interaction (so by a later event of their own interactions), and the most.
     */
    private static Map<String, Object> preloadOrder(SqsServer.Preload preload, EventFeed feed) {
        int[] overtaken = preload.overtakenBy();
        int oneRound = Math.max(1, feed.interactions() / 10);
        long behind = java.util.Arrays.stream(overtaken).filter(n -> n >= oneRound).count();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("batches", overtaken.length);
        map.put("batchesOvertakenByALaterEventOfTheirInteractions", behind);
        map.put("mostMessagesOvertakingOneBatch", 10L * java.util.Arrays.stream(overtaken).max().orElse(0));
        long[] visible = preload.batchVisibleAt();
        // how long after T the last batch became visible (held: 0, all are there at T)
        map.put("visibleOverMs", visible.length == 0 ? 0
                : Math.max(0, java.util.Arrays.stream(visible).max().getAsLong() - preload.visibleAt()));
        return map;
    }

    /** Until every distinct event reached every sink (if it delivers) and the queue is empty; false on timeout. */
    private boolean awaitDrained(DeliveryLedger ledger, int distinct, String queueUrl, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if ((ledger == null || ledger.complete() >= distinct) && context.sqs.depth(queueUrl) == 0) {
                return true;
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    private static Duration drainTimeout(int messages) {
        return Duration.ofSeconds(Math.max(600, messages / 20));
    }

    /** Slow sinks, the same number of events as the backlog, published one by one at the live rate. */
    private Map<String, Object> live(String queueUrl) throws Exception {
        EventFeed feed = EventFeed.plan(RUNS.incrementAndGet(), settings.slowEvents(), settings.interactions(),
                settings.duplicateShare(), settings.shuffleBlock(), SEED);
        DeliveryLedger ledger = context.sinks.track(feed);
        Publisher publisher = Publisher.start(context.sqs.client(), queueUrl, feed, ledger, settings.liveRate());
        publisher.join();
        long sentAt = System.nanoTime();
        boolean complete = awaitDrained(ledger, feed.unique(), queueUrl, drainTimeout(feed.messages()));
        double seconds = (ledger.lastCompletionAt() - publisher.startedAt()) / 1e9;
        double sendSeconds = (sentAt - publisher.startedAt()) / 1e9;
        context.sinks.forget(feed);
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("offeredEventsPerSecond", settings.liveRate());
        live.put("sentEventsPerSecond", Math.round(feed.messages() / sendSeconds));
        live.put("messages", feed.messages());
        live.put("seconds", Math.round(seconds * 1000) / 1000.0);
        live.put("eventsPerSecond", Math.round(feed.messages() / seconds));
        live.put("complete", complete);
        live.put("publishFailures", publisher.failures());
        return live;
    }

    // ---- the table

    private void rows(Map<String, Results> results, Map<String, Object> details, List<BenchDatabase.Kind> kinds) {
        Map<String, Object> engines = new LinkedHashMap<>();
        Map<String, Drain> fast = new LinkedHashMap<>();
        Map<String, Drain> slow = new LinkedHashMap<>();
        results.forEach((key, r) -> {
            Map<String, Object> engine = new LinkedHashMap<>();
            if (!r.fast.isEmpty()) {
                fast.put(key, Drain.mean(r.fast));
                engine.put("fastSinks", fast.get(key).toMap());
                engine.put("fastSinksRounds", r.fast.stream().map(Drain::toMap).toList());
            }
            if (!r.slow.isEmpty()) {
                slow.put(key, Drain.mean(r.slow));
                engine.put("slowSinks", slow.get(key).toMap());
                engine.put("slowSinksRounds", r.slow.stream().map(Drain::toMap).toList());
            }
            engines.put(key, engine);
        });
        details.put("engines", engines);

        for (Map.Entry<String, Drain> entry : fast.entrySet()) {
            Drain d = entry.getValue();
            report.row("events", entry.getKey() + ": " + describe(entry.getKey()), Report.count(d.perSecond())
                    + " events/s, CPU-s per 1,000: " + Report.decimal(d.machineCpuPerThousand(), 3) + " machine / "
                    + Report.decimal(d.ownCpuPerThousand(), 3) + " own", "",
                    d.complete() ? Report.Verdict.INFO : Report.Verdict.FAILED);
        }
        for (Map.Entry<String, Drain> entry : slow.entrySet()) {
            Drain d = entry.getValue();
            report.row("events", entry.getKey() + ", sinks answering in " + settings.slowDelay().toMillis() + " ms",
                    Report.count(d.perSecond()) + " events/s (" + Report.count(d.distinctPerSecond()) + " to each sink)"
                            + ", CPU-s per 1,000: " + Report.decimal(d.machineCpuPerThousand(), 3) + " machine / "
                            + Report.decimal(d.ownCpuPerThousand(), 3) + " own", "",
                    d.complete() ? Report.Verdict.INFO : Report.Verdict.FAILED);
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (BenchDatabase.Kind kind : kinds) {
            Drain switchboard = fast.get(key("Switchboard", kind));
            if (switchboard == null) {
                continue;
            }
            String db = " (" + kind.label + ")";
            ratio(ratios, "Switchboard ÷ N1" + db, switchboard, fast.get(key("N1", kind)), 1.5);
            ratio(ratios, "Switchboard ÷ B4" + db, switchboard, fast.get(key("B4", kind)), 0.8);
            ratio(ratios, "Switchboard ÷ B3" + db, switchboard, fast.get("B3"), 0.5);
            Drain slowSwitchboard = slow.get(key("Switchboard", kind));
            if (slowSwitchboard != null) {
                ratio(ratios, "Switchboard ÷ N1, " + settings.slowDelay().toMillis() + " ms sinks" + db, slowSwitchboard,
                        slow.get(key("N1", kind)), 1.5);
                report.row("events", "Switchboard, " + settings.slowDelay().toMillis() + " ms sinks, "
                                + settings.interactions() + " interactions: events/s to each sink" + db,
                        Report.count(slowSwitchboard.distinctPerSecond()), "≥ 1,000",
                        Report.Verdict.of(slowSwitchboard.complete() && slowSwitchboard.distinctPerSecond() >= 1_000));
            }
            report.row("events", "Switchboard lost / repeated deliveries / out of order" + db,
                    switchboard.lost() + " / " + switchboard.repeats() + " / " + switchboard.orderViolations(), "0 lost",
                    Report.Verdict.of(switchboard.lost() == 0 && switchboard.complete()));
            OrderCheck order = switchboard.order();
            Drain slowOne = slow.get(key("Switchboard", kind));
            OrderCheck slowOrder = slowOne == null ? null : slowOne.order();
            report.row("events", "Switchboard out of order: allowed late / beyond the order guarantee" + db,
                    order == null ? "not judged (store not readable)" : order.allowedLate() + " / " + order.beyond()
                            + (slowOrder == null ? "" : "; " + settings.slowDelay().toMillis() + " ms sinks: "
                            + slowOrder.allowedLate() + " / " + slowOrder.beyond())
                            + " (window " + order.window().toMillis() + " ms)", "0 beyond",
                    order == null ? Report.Verdict.SKIPPED
                            : Report.Verdict.of(order.beyond() == 0 && (slowOrder == null || slowOrder.beyond() == 0)));
        }
        Drain h2 = fast.get(key("Switchboard", BenchDatabase.Kind.H2));
        Drain pg = fast.get(key("Switchboard", BenchDatabase.Kind.POSTGRES));
        if (h2 != null && pg != null) {
            ratio(ratios, "Switchboard PostgreSQL ÷ H2", pg, h2, 1.0);
        } else if (h2 != null) {
            report.row("events", "Switchboard PostgreSQL ÷ H2", "-", "≥ 1.00 ×", Report.Verdict.SKIPPED);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> live = (Map<String, Object>) details.get("live");
        Drain backlog = slow.get(key("Switchboard", BenchDatabase.Kind.H2));
        if (live != null && backlog != null) {
            double liveRate = ((Number) live.get("eventsPerSecond")).doubleValue();
            double share = backlog.perSecond() / liveRate;
            ratios.put("backlogToLive", round3(share));
            report.row("events", "backlog of " + Report.count(backlog.messages()) + " (" + settings.slowDelay().toMillis()
                            + " ms sinks) ÷ live at " + Report.count(settings.liveRate()) + "/s offered",
                    Report.count(backlog.perSecond()) + " ÷ " + Report.count(liveRate) + " events/s = "
                            + Report.percent(share), "≥ 80 %",
                    Report.Verdict.of(share >= 0.8 && Boolean.TRUE.equals(live.get("complete"))));
        }
        details.put("ratios", ratios);
    }

    private void ratio(Map<String, Object> ratios, String name, Drain switchboard, Drain baseline, double target) {
        String goal = "≥ " + Report.decimal(target, 2) + " ×";
        if (baseline == null) {
            report.row("events", name, "-", goal, Report.Verdict.SKIPPED);
            return;
        }
        double ratio = switchboard.perSecond() / baseline.perSecond();
        ratios.put(name, round3(ratio));
        report.row("events", name, Report.count(switchboard.perSecond()) + " ÷ " + Report.count(baseline.perSecond())
                + " = " + Report.decimal(ratio, 2) + " ×", goal,
                Report.Verdict.of(ratio >= target && switchboard.complete() && baseline.complete()));
    }

    private static String describe(String key) {
        String engine = key.contains(" ") ? key.substring(0, key.indexOf(' ')) : key;
        return switch (engine) {
            case "B1" -> "raw SDK, receive 10, delete each";
            case "B2" -> "raw SDK, receive 10, batch delete (SQS floor)";
            case "B3" -> "B2 + POST to 3 sinks on per-sink threads";
            case "B4" -> "B3 + JDBC batch insert ON CONFLICT DO NOTHING (durable floor)";
            case "N1" -> "Camel from the docs: aws2-sqs → idempotentConsumer(JDBC) → parallel multicast";
            default -> "schema + dedupe + record + order + 3 sinks";
        };
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    // ---- latency

    private void latency(String engine, String queueUrl, BenchDatabase.Target database, double rate,
                         boolean halfOfMeasured, List<AfterStop> afterStop) throws Exception {
        Duration warm = settings.latencyWarmup();
        Duration measure = settings.latencyMeasure();
        int events = (int) Math.ceil(rate * (warm.toNanos() + measure.toNanos()) / 1e9);
        EventFeed feed = EventFeed.distinct(RUNS.incrementAndGet(), events, settings.interactions());
        DeliveryLedger ledger = context.sinks.track(feed);
        Publisher publisher = Publisher.start(context.sqs.client(), queueUrl, feed, ledger, rate);
        publisher.join();
        if (publisher.failures() > 0) {
            throw new IllegalStateException(publisher.failures() + " SendMessage calls failed");
        }
        long started = publisher.startedAt();
        long from = started + warm.toNanos();
        long to = from + measure.toNanos();
        awaitDrained(ledger, feed.unique(), queueUrl, Duration.ofMinutes(2));
        Percentiles percentiles = Percentiles.of(ledger.completionLatencies(from, to));
        int incomplete = ledger.incompleteSentBetween(from, to);
        context.sinks.forget(feed);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rateEventsPerSecond", Math.round(rate));
        details.put("rate", halfOfMeasured ? "half Switchboard's measured maximum (its first drain on this database)"
                : "bench.latency.rate");
        details.put("warmup", warm.toString());
        details.put("measured", measure.toString());
        details.put("sendToLastSink", percentiles.toMap());
        details.put("notDeliveredWithin2Minutes", incomplete);
        for (int s = 0; s < SinkServers.NAMES.size(); s++) {
            details.put("sendTo_" + SinkServers.NAMES.get(s), Percentiles.of(ledger.sinkLatencies(s, from, to)).toMap());
        }
        if (database != null) { // where the time goes, before the recording commits or after: read once stopped
            afterStop.add(() -> {
                long[][] split = ledger.splitAtRecording(from, to, recordedNanos(database, feed));
                details.put("sendToRecorded", Percentiles.of(split[0]).toMap());
                details.put("recordedToLastSink", Percentiles.of(split[1]).toMap());
                System.out.println("latency: " + engine + ": send → recorded " + Percentiles.of(split[0]).summary()
                        + "; recorded → last sink " + Percentiles.of(split[1]).summary());
            });
        }
        details.put("resequenceWindow", settings.resequenceWindow() == null ? "configured default (events.resequence-window)"
                : settings.resequenceWindow().toString());
        boolean switchboard = engine.equals("Switchboard");
        report.details(switchboard ? "latency" : "latency " + engine, details);
        latencyRows.add(() -> {
            report.info("latency", engine + ": rate (" + (halfOfMeasured ? "half Switchboard's measured maximum" : "set")
                    + ")", Report.count(rate) + " events/s, " + percentiles.count() + " events measured");
            if (switchboard) {
                report.row("latency", "Switchboard: send → last sink p50 / p95 / p99", percentiles.summary(),
                        "p99 ≤ 100 ms",
                        Report.Verdict.of(percentiles.count() > 0 && incomplete == 0 && percentiles.p99() <= 100e6));
            } else {
                report.info("latency", engine + ": send → last sink p50 / p95 / p99 (same machine and rate)",
                        percentiles.summary());
            }
        });
    }

    /** The events' recording times (the store's received_at) on this JVM's nanoTime scale; 0 where not recorded. */
    private static long[] recordedNanos(BenchDatabase.Target database, EventFeed feed) throws SQLException {
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        Instant[] recorded = OrderCheck.recordedAt(database, feed);
        long[] result = new long[recorded.length];
        for (int e = 0; e < recorded.length; e++) {
            if (recorded[e] != null) {
                result[e] = nanos + Duration.between(now, recorded[e]).toNanos();
            }
        }
        return result;
    }
}
