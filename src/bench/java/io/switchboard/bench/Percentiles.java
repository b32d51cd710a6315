package io.switchboard.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of durations in nanoseconds (nearest-rank), reported in milliseconds. */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    private static double rank(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    String summary() {
        if (count == 0) {
            return "no samples";
        }
        return Report.ms(p50) + " / " + Report.ms(p95) + " / " + Report.ms(p99) + " (max " + Report.ms(max) + ")";
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("samples", count);
        map.put("p50Ms", round(p50));
        map.put("p95Ms", round(p95));
        map.put("p99Ms", round(p99));
        map.put("maxMs", round(max));
        return map;
    }

    private static double round(double nanos) {
        return Double.isNaN(nanos) ? Double.NaN : Math.round(nanos / 1e4) / 100.0;
    }
}
