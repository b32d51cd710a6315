package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a run: one table row per figure (with its target and where it stands against it), the details
 * of every benchmark, and the machine. Printed as a table and written as JSON.
 */
final class Report {

    /** Where a figure stands against its target. */
    enum Verdict {
        MET("met"), MISSED("MISSED"), INFO(""), SKIPPED("skipped"), FAILED("FAILED");

        final String label;

        Verdict(String label) {
            this.label = label;
        }

        static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }
    }

    record Row(String benchmark, String measure, String value, String target, Verdict verdict) {
    }

    private final String title;
    private final String subject;
    private final Instant started = Instant.now();
    private final Map<String, Object> machine = Machine.describe();
    private final Map<String, Object> settings;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();

    Report(String title, Map<String, Object> settings) {
        this(title, "benchmark", settings);
    }

    /** {@code subject}: what the first column names (benchmark, scenario). */
    Report(String title, String subject, Map<String, Object> settings) {
        this.title = title;
        this.subject = subject;
        this.settings = settings;
    }

    synchronized void row(String benchmark, String measure, String value, String target, Verdict verdict) {
        rows.add(new Row(benchmark, measure, value, target == null ? "" : target, verdict));
    }

    synchronized void info(String benchmark, String measure, String value) {
        row(benchmark, measure, value, "", Verdict.INFO);
    }

    synchronized void details(String benchmark, Object value) {
        details.put(benchmark, value);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized Object details(String benchmark) {
        return details.get(benchmark);
    }

    synchronized String table() {
        String[] header = {subject, "measure", "value", "target", "verdict"};
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
        }
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int c = 0; c < cells.length; c++) {
                width[c] = Math.max(width[c], cells[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n');
        out.append("Machine: ").append(Machine.summary(machine)).append(" at start; load average ")
                .append(Machine.loadAverage()).append(" at end\n");
        line(out, header, width);
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) {
            rule.append('-').append("-".repeat(w)).append("-|");
        }
        out.append(rule).append('\n');
        for (Row row : rows) {
            line(out, cells(row), width);
        }
        return out.toString();
    }

    private static String[] cells(Row row) {
        return new String[] {row.benchmark(), row.measure(), row.value(), row.target(), row.verdict().label};
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            out.append(' ').append(cells[c]).append(" ".repeat(width[c] - cells[c].length())).append(" |");
        }
        out.append('\n');
    }

    synchronized void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        json.put("startedAt", started.toString());
        json.put("finishedAt", Instant.now().toString());
        Map<String, Object> machineNow = new LinkedHashMap<>(machine);
        machineNow.put("loadAverageAtEnd", Machine.loadAverage());
        json.put("machine", machineNow);
        json.put("settings", settings);
        json.put("table", rows);
        json.put("details", details);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    // ---- formatting shared by the benchmarks

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String decimal(double value, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", value);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    static double toMb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0) * 10) / 10.0;
    }

    static String ms(double nanos) {
        return String.format(Locale.ROOT, "%,.1f ms", nanos / 1e6);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }
}
