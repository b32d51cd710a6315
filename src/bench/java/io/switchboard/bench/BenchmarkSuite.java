package io.switchboard.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs Switchboard's benchmarks ({@code mvn -Pbench verify}), prints the table and writes it as JSON
 * ({@code target/benchmarks.json}). Settings: {@code bench.*} system properties, see {@link BenchSettings} and the
 * README's "Performance" section. Benchmarks print numbers; a missed target is reported, not failed.
 *
 * <ol>
 *   <li>{@code events}: Switchboard against B1–B4 and N1, fast and 50 ms sinks, H2 and PostgreSQL, backlog against live ({@link EventsBenchmark});</li>
 *   <li>{@code latency}: send → last sink at half that rate;</li>
 *   <li>{@code memory}: live heap growth over a million events, and the classes that grow ({@link MemoryBenchmark});</li>
 *   <li>{@code report-polling}: a million report items in 128 MB against a raw fetch ({@link ReportPollBenchmark});</li>
 *   <li>{@code rate-limiter}: a burst of twice the budget ({@link RateLimiterBenchmark}).</li>
 * </ol>
 */
public final class BenchmarkSuite {

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        Report report = run(BenchSettings.fromSystemProperties());
        boolean failed = report.rows().stream().anyMatch(row -> row.verdict() == Report.Verdict.FAILED);
        System.exit(failed ? 1 : 0);
    }

    /** Runs the benchmarks {@code settings} selects; the report is printed and written before it returns. */
    static Report run(BenchSettings settings) throws Exception {
        Files.createDirectories(settings.workDir());
        Report report = new Report("Switchboard benchmarks, " + Instant.now(), settings.describe());
        long started = System.nanoTime();
        try (BenchContext context = new BenchContext(settings, report)) {
            step(report, "events", () -> {
                if (settings.runs("events") || settings.runs("latency")) {
                    new EventsBenchmark(context).run(settings.runs("events"), settings.runs("latency"));
                }
            });
            step(report, "memory", () -> {
                if (settings.runs("memory")) {
                    new MemoryBenchmark(context).run();
                }
            });
            step(report, "report-polling", () -> {
                if (settings.runs("report-polling")) {
                    new ReportPollBenchmark(context).run();
                }
            });
            step(report, "rate-limiter", () -> {
                if (settings.runs("rate-limiter")) {
                    new RateLimiterBenchmark(context).run();
                }
            });
        } finally {
            report.info("run", "wall-clock time of the whole run",
                    Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            report.write(settings.output());
            System.out.println();
            System.out.println(report.table());
            System.out.println("Details: " + settings.output().toAbsolutePath() + "; logs of every process under "
                    + settings.workDir().toAbsolutePath());
        }
        return report;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** A benchmark that breaks is reported as FAILED; the others still run. */
    private static void step(Report report, String name, Step step) {
        try {
            System.out.println("== " + name + " (" + Instant.now() + ")");
            step.run();
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            e.printStackTrace();
            report.row(name, "the benchmark broke", String.valueOf(e), "", Report.Verdict.FAILED);
        }
    }
}
