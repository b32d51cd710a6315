package io.switchboard.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the reliability run does ({@code reliability.*} system properties, forwarded by the {@code reliability}
 * Maven profile), with the defaults: 10 trials of 5,000 events killed with SIGKILL at a random point, a sink
 * down for 60 s under load, a SIGTERM under load.
 */
record ReliabilitySettings(
        int trials,
        int eventsPerTrial,
        int interactions,
        double duplicateShare,
        long seed,
        double loadRate,
        Duration outage,
        Duration outageCalm,
        Duration loadBeforeSigterm,
        Duration drainLimit,
        String heap,
        String jar,
        List<String> extraArgs,
        Path output,
        Path workDir) {

    static ReliabilitySettings fromSystemProperties() {
        return from(key -> System.getProperty("reliability." + key));
    }

    static ReliabilitySettings from(Function<String, String> source) {
        Function<String, String> in = key -> {
            String value = source.apply(key);
            return value == null || value.isBlank() ? null : value.trim();
        };
        String args = or(in.apply("args"), "");
        return new ReliabilitySettings(
                Integer.parseInt(or(in.apply("trials"), "10")),
                Integer.parseInt(or(in.apply("events"), "5000")),
                Integer.parseInt(or(in.apply("interactions"), "100")),
                Double.parseDouble(or(in.apply("duplicates"), "0.10")),
                Long.parseLong(or(in.apply("seed"), Long.toString(System.currentTimeMillis()))),
                Double.parseDouble(or(in.apply("rate"), "200")),
                Duration.parse(or(in.apply("outage"), "PT60S")),
                Duration.parse(or(in.apply("outage-calm"), "PT20S")),
                Duration.parse(or(in.apply("sigterm-after"), "PT10S")),
                Duration.parse(or(in.apply("drain-limit"), "PT30S")),
                or(in.apply("heap"), "512m"),
                in.apply("jar"),
                args.isBlank() ? List.of() : List.of(args.split("\\s+")),
                Path.of(or(in.apply("output"), "target/reliability.json")),
                Path.of(or(in.apply("work-dir"), "target/reliability")));
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("trials", trials);
        map.put("eventsPerTrial", eventsPerTrial);
        map.put("interactions", interactions);
        map.put("duplicateShare", duplicateShare);
        map.put("seed", seed);
        map.put("loadRateEventsPerSecond", loadRate);
        map.put("sinkOutage", outage.toString());
        map.put("calmBeforeAndAfterOutage", outageCalm.toString());
        map.put("loadBeforeSigterm", loadBeforeSigterm.toString());
        map.put("sigtermDrainLimit", drainLimit.toString());
        map.put("heap", heap);
        map.put("jar", jar == null ? "target/switchboard-*.jar" : jar);
        map.put("extraArgs", extraArgs);
        return map;
    }
}
