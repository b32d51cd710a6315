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
 * runs (100 events, 50 with slow sinks, one memory checkpoint, 500 report items, a burst of 20 against a budget of
 * 10 per second), every engine of the events benchmark (B1–B4, N1, Switchboard) in this JVM, Switchboard started
 * as an application (nothing is packaged yet in the test phase). The numbers mean nothing here; that they come
 * out, with nothing lost, does.
 */
class BenchmarkSmokeTest {

    @TempDir
    Path work;

    @Test
    void should_run_every_benchmark_and_write_the_table_as_json() throws Exception {
        Report report = BenchmarkSuite.run(BenchSettings.smoke(work));

        List<Report.Row> rows = report.rows();
        assertThat(rows).noneMatch(row -> row.verdict() == Report.Verdict.FAILED);
        for (String engine : List.of("B1:", "B2:", "B3:", "B4 (H2):", "N1 (H2):", "Switchboard (H2):")) {
            assertThat(value(rows, "events", engine)).contains("events/s").contains("CPU-s per 1,000");
        }
        for (String engine : List.of("B3,", "B4 (H2),", "N1 (H2),", "Switchboard (H2),")) {
            assertThat(value(rows, "events", engine)).contains("to each sink");
        }
        assertThat(value(rows, "events", "Switchboard ÷ N1 (H2)")).endsWith("×");
        assertThat(value(rows, "events", "Switchboard ÷ B4 (H2)")).endsWith("×");
        assertThat(value(rows, "events", "Switchboard ÷ B3 (H2)")).endsWith("×");
        assertThat(value(rows, "events", "backlog of")).endsWith("%");
        assertThat(row(rows, "events", "Switchboard lost").verdict()).as("nothing lost").isEqualTo(Report.Verdict.MET);
        assertThat(value(rows, "latency", "Switchboard: send → last sink")).contains("ms /");
        assertThat(value(rows, "latency", "B4: send → last sink")).contains("ms /");
        assertThat(value(rows, "memory", "live heap growth")).endsWith("MB");
        assertThat(value(rows, "memory", "classes that grew most")).isNotBlank();
        assertThat(row(rows, "report-polling", "Switchboard poll").value()).endsWith("× raw)");
        assertThat(row(rows, "rate-limiter", "largest count").verdict()).isEqualTo(Report.Verdict.MET);
        assertThat(row(rows, "rate-limiter", "outcomes").verdict()).isEqualTo(Report.Verdict.MET);

        JsonNode json = new ObjectMapper().readTree(work.resolve("benchmarks.json").toFile());
        assertThat(json.path("machine").path("cpus").asInt()).isPositive();
        assertThat(json.path("table").size()).isEqualTo(rows.size());
        assertThat(json.path("details").path("rate-limiter").path("everyCall").size()).isEqualTo(20);
        JsonNode switchboard = json.path("details").path("events").path("engines").path("Switchboard (H2)");
        assertThat(switchboard.path("fastSinks").path("complete").asBoolean()).isTrue();
        assertThat(switchboard.path("fastSinks").path("distinctEvents").asInt()).isEqualTo(90);
        assertThat(switchboard.path("fastSinks").path("machineCpuSecondsPer1000Events").asDouble()).isPositive();
        assertThat(switchboard.path("slowSinks").path("complete").asBoolean()).isTrue();
        assertThat(json.path("details").path("memory").path("classesGrownMost").size()).isPositive();
    }

    static Report.Row row(List<Report.Row> rows, String benchmark, String measureStart) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark) && r.measure().startsWith(measureStart))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + benchmark + " / " + measureStart + " in " + rows));
    }

    static String value(List<Report.Row> rows, String benchmark, String measureStart) {
        return row(rows, benchmark, measureStart).value();
    }
}
