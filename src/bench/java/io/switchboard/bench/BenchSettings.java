package io.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run measures and how big it is. Every value comes from a {@code bench.*} system property (the
 * {@code bench} Maven profile forwards them), else from the defaults of the issue: 100,000 events over 100
 * interactions with 10 % duplicates, 1,000,000 events for the memory curve, 10,000 report pages of 100 items, a
 * burst of twice a 600-per-minute budget against the real 60 s window.
 */
record BenchSettings(
        Set<String> only,
        int events,
        int interactions,
        double duplicateShare,
        int shuffleBlock,
        int warmupEvents,
        int consumers,
        int waitTimeSeconds,
        Duration resequenceWindow,
        Duration latencyWarmup,
        Duration latencyMeasure,
        double latencyRate,
        List<String> latencyEngines,
        String latencyDatabase,
        int memoryEvents,
        int memoryCheckpoints,
        String memoryDatabase,
        int reportPages,
        int reportPerPage,
        int limiterBudget,
        Duration limiterWindow,
        double limiterBurstFactor,
        String eventsHeap,
        String memoryHeap,
        String reportHeap,
        String limiterHeap,
        String postgresUrl,
        String postgresUser,
        String postgresPassword,
        boolean inProcess,
        boolean flightRecording,
        Path output,
        Path workDir,
        List<String> engines,
        int rounds,
        Duration slowDelay,
        int slowEvents,
        double liveRate,
        String jar,
        String preload) {

    /**
     * {@code bench.preload}: how a drain's messages are put on the queue. {@code held} (the default): sent while the
     * engine's requests are held at the {@link SqsGate}, all there at T, in the order they were sent
     * ({@link SqsServer#preloadHeld}); {@code at-once}: sent with SQS delays while the engine polls, all visible within
     * about a second of T, in the feed's order as planned, which a send running a few milliseconds late upsets
     * ({@link SqsServer#preloadVisibleAt}); {@code in-order}: sent in the feed's order with one delay, visible from T
     * on as fast as the harness sent them ({@link SqsServer#preloadInOrder}).
     */
    static final List<String> PRELOADS = List.of("held", "at-once", "in-order");

    /** Every engine of the events benchmark, in the order of a round (a second round runs them in reverse). */
    static final List<String> ENGINES = List.of("B1", "B2", "B3", "B4", "N1", "Switchboard");

    static final Set<String> ALL = new LinkedHashSet<>(Arrays.asList(
            "events", "latency", "memory", "report-polling", "rate-limiter"));

    boolean runs(String benchmark) {
        return only.contains(benchmark);
    }

    boolean usesPostgres() {
        return postgresUrl != null && !postgresUrl.isBlank();
    }

    /** The settings as the JSON report states them. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("benchmarks", only);
        map.put("events", events);
        map.put("interactions", interactions);
        map.put("duplicateShare", duplicateShare);
        map.put("shuffleBlock", shuffleBlock);
        map.put("warmupEvents", warmupEvents);
        map.put("consumers", consumers);
        map.put("waitTimeSeconds", waitTimeSeconds);
        map.put("resequenceWindow", resequenceWindow == null ? "(configured default)" : resequenceWindow.toString());
        map.put("latencyWarmup", latencyWarmup.toString());
        map.put("latencyMeasure", latencyMeasure.toString());
        map.put("latencyRate", latencyRate > 0 ? latencyRate : "half the measured maximum");
        map.put("latencyEngines", latencyEngines);
        map.put("latencyDatabase", latencyDatabase);
        map.put("memoryEvents", memoryEvents);
        map.put("memoryCheckpoints", memoryCheckpoints);
        map.put("memoryDatabase", memoryDatabase);
        map.put("reportPages", reportPages);
        map.put("reportPerPage", reportPerPage);
        map.put("limiterBudget", limiterBudget);
        map.put("limiterWindow", limiterWindow.toString());
        map.put("limiterBurstFactor", limiterBurstFactor);
        map.put("heap", Map.of("events", eventsHeap, "memory", memoryHeap, "reportPolling", reportHeap,
                "rateLimiter", limiterHeap));
        map.put("database", usesPostgres() ? "PostgreSQL " + postgresUrl : "H2 file");
        map.put("switchboardProcess", inProcess ? "in-process (smoke run)" : "forked JVM per benchmark");
        map.put("flightRecording", flightRecording);
        map.put("engines", engines);
        map.put("rounds", rounds);
        map.put("slowSinkDelay", slowDelay.toString());
        map.put("slowSinkEvents", slowEvents);
        map.put("backlogLiveRate", liveRate);
        map.put("jar", jar == null ? "target/switchboard-*.jar" : jar);
        map.put("preload", preload);
        return map;
    }

    /** From {@code bench.*} system properties. */
    static BenchSettings fromSystemProperties() {
        return from(key -> System.getProperty("bench." + key));
    }

    /**
     * The smoke run inside {@code mvn verify}: every benchmark and every engine once, tiny, Switchboard in the test
     * JVM. Every part runs its code path (warm-up, drains with fast and slow sinks, live feed, latency, one memory
     * checkpoint, report pages, a burst over two budget windows); the sizes only keep it short.
     */
    static BenchSettings smoke(Path workDir) {
        Map<String, String> small = Map.ofEntries(
                Map.entry("events", "100"),
                Map.entry("interactions", "10"),
                Map.entry("shuffle-block", "10"),
                Map.entry("warmup-events", "10"),
                Map.entry("latency.warmup", "PT0.2S"),
                Map.entry("latency.measure", "PT0.5S"),
                Map.entry("latency.rate", "50"),
                Map.entry("latency.engines", "Switchboard,B4"),
                Map.entry("memory.events", "100"),
                Map.entry("memory.checkpoints", "1"),
                Map.entry("report.pages", "5"),
                Map.entry("report.per-page", "100"),
                Map.entry("limiter.budget", "10"),
                Map.entry("limiter.window", "PT1S"),
                Map.entry("in-process", "true"),
                Map.entry("rounds", "1"),
                Map.entry("slow.events", "50"),
                Map.entry("slow.delay", "PT0.02S"),
                Map.entry("backlog.live-rate", "200"),
                Map.entry("output", workDir.resolve("benchmarks.json").toString()),
                Map.entry("work-dir", workDir.toString()));
        return from(small::get);
    }

    private static BenchSettings from(java.util.function.Function<String, String> source) {
        Lookup in = new Lookup(source);
        String only = in.text("only", "");
        Set<String> selected = new LinkedHashSet<>();
        if (only.isBlank() || only.equals("all")) {
            selected.addAll(ALL);
        } else {
            for (String name : only.split(",")) {
                String trimmed = name.trim();
                if (!ALL.contains(trimmed)) {
                    throw new IllegalArgumentException("bench.only: unknown benchmark '" + trimmed + "' (known: " + ALL + ")");
                }
                selected.add(trimmed);
            }
        }
        Path output = Path.of(in.text("output", "target/benchmarks.json"));
        Path workDir = Path.of(in.text("work-dir", "target/bench"));
        String window = in.text("resequence-window", "");
        return new BenchSettings(selected,
                in.integer("events", 100_000),
                in.integer("interactions", 100),
                in.decimal("duplicates", 0.10),
                in.integer("shuffle-block", 200),
                in.integer("warmup-events", 5_000),
                in.integer("consumers", 4),
                in.integer("wait-time-seconds", 1),
                window.isBlank() ? null : Duration.parse(window),
                in.duration("latency.warmup", Duration.ofSeconds(5)),
                in.duration("latency.measure", Duration.ofSeconds(30)),
                in.decimal("latency.rate", 0),
                engines(in.text("latency.engines", "Switchboard")),
                in.text("latency.database", "h2"),
                in.integer("memory.events", 1_000_000),
                in.integer("memory.checkpoints", 3),
                in.text("memory.database", "h2"),
                in.integer("report.pages", 10_000),
                in.integer("report.per-page", 100),
                in.integer("limiter.budget", 600),
                in.duration("limiter.window", Duration.ofSeconds(60)),
                in.decimal("limiter.burst-factor", 2.0),
                in.text("heap.events", "512m"),
                in.text("heap.memory", "512m"),
                in.text("heap.report", "128m"),
                in.text("heap.limiter", "256m"),
                in.text("postgres-url", ""),
                in.text("postgres-user", "postgres"),
                in.text("postgres-password", ""),
                Boolean.parseBoolean(in.text("in-process", "false")),
                Boolean.parseBoolean(in.text("jfr", "false")),
                output,
                workDir,
                engines(in.text("engines", String.join(",", ENGINES))),
                in.integer("rounds", 2),
                in.duration("slow.delay", Duration.ofMillis(50)),
                in.integer("slow.events", 20_000),
                in.decimal("backlog.live-rate", 1_000),
                in.text("jar", null),
                preload(in.text("preload", "held")));
    }

    private static String preload(String preload) {
        if (!PRELOADS.contains(preload)) {
            throw new IllegalArgumentException("bench.preload: unknown '" + preload + "' (known: " + PRELOADS + ")");
        }
        return preload;
    }

    private static List<String> engines(String list) {
        List<String> engines = new java.util.ArrayList<>();
        for (String name : list.split(",")) {
            String trimmed = name.trim();
            if (!ENGINES.contains(trimmed)) {
                throw new IllegalArgumentException("bench.engines: unknown engine '" + trimmed + "' (known: " + ENGINES + ")");
            }
            engines.add(trimmed);
        }
        return List.copyOf(engines);
    }

    /** Reads a setting; a blank value (an unset Maven property forwarded as "") means the default. */
    private record Lookup(java.util.function.Function<String, String> source) {

        String text(String key, String fallback) {
            String value = source.apply(key);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int integer(String key, int fallback) {
            String value = text(key, null);
            return value == null ? fallback : Integer.parseInt(value.replace("_", "").replace(",", ""));
        }

        double decimal(String key, double fallback) {
            String value = text(key, null);
            return value == null ? fallback : Double.parseDouble(value);
        }

        Duration duration(String key, Duration fallback) {
            String value = text(key, null);
            return value == null ? fallback : Duration.parse(value);
        }
    }
}
