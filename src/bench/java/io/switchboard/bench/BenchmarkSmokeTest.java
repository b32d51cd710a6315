package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark harness at toy size, so that {@code mvn verify} keeps it compiling and working: every benchmark
 * runs (500 events, 1,000 report items, a burst of 20 against a budget of 10 per second), B1 and B2 in their
 * own JVMs, Switchboard in this one. The numbers mean nothing here; that they come out, with nothing lost, does.
 */
class BenchmarkSmokeTest {

    @TempDir
    Path work;

    @Test
    void should_run_every_benchmark_and_write_the_table_as_json() throws Exception {
        Report report = BenchmarkSuite.run(BenchSettings.smoke(work));

        List<Report.Row> rows = report.rows();
        assertThat(rows).noneMatch(row -> row.verdict() == Report.Verdict.FAILED);
        assertThat(value(rows, "events", "B1 raw SDK")).endsWith("events/s");
        assertThat(value(rows, "events", "B2 raw SDK")).endsWith("events/s");
        assertThat(value(rows, "events", "Switchboard drain")).endsWith("events/s");
        assertThat(value(rows, "events", "Switchboard ÷ B1")).endsWith("×");
        assertThat(row(rows, "events", "lost").verdict()).as("nothing lost").isEqualTo(Report.Verdict.MET);
        assertThat(value(rows, "latency", "send → last sink")).contains("ms /");
        assertThat(value(rows, "memory", "live heap after GC")).contains("MB /");
        assertThat(row(rows, "report-polling", "Switchboard poll").value()).endsWith("× raw)");
        assertThat(row(rows, "rate-limiter", "largest count").verdict()).isEqualTo(Report.Verdict.MET);
        assertThat(row(rows, "rate-limiter", "outcomes").verdict()).isEqualTo(Report.Verdict.MET);

        JsonNode json = new ObjectMapper().readTree(work.resolve("benchmarks.json").toFile());
        assertThat(json.path("machine").path("cpus").asInt()).isPositive();
        assertThat(json.path("table").size()).isEqualTo(rows.size());
        assertThat(json.path("details").path("rate-limiter").path("everyCall").size()).isEqualTo(20);
        assertThat(json.path("details").path("events").path("switchboardDelivery").path("eventsAtEverySink").asInt())
                .isEqualTo(450);
    }

    static Report.Row row(List<Report.Row> rows, String benchmark, String measureStart) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.measure().startsWith(measureStart))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + benchmark + " / " + measureStart + " in " + rows));
    }

    static String value(List<Report.Row> rows, String benchmark, String measureStart) {
        return row(rows, benchmark, measureStart).value();
    }
}
