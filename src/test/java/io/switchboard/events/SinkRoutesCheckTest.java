package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.SwitchboardApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sink routes users edit (routes/event-sinks.yaml): Switchboard refuses to start, naming the route, when a sink has
 * no route or one with an error handler of its own (its failures would not reach the delivery's retries as they
 * are). Started as {@code mvn spring-boot:run} starts it, only ports, database and routes folder changed; the routes
 * as shipped start in every other test, e.g. {@code ApiDocsAsStartedTest}.
 */
class SinkRoutesCheckTest {

    static final String SINK = """
            - route:
                id: events-sink-%s
            %s
                from:
                  uri: direct:events-sink-%s
                  steps:
                    - to:
                        uri: "{{events.sinks.%s}}"
            """;
    static final String NO_ERROR_HANDLER = "    errorHandler:\n      noErrorHandler: {}";

    @TempDir
    Path routes;

    @Test
    void should_refuse_to_start_when_a_sink_route_has_an_error_handler_of_its_own() throws Exception {
        write(sink("analytics", ""), sink("crm", NO_ERROR_HANDLER), sink("dashboard", NO_ERROR_HANDLER));
        assertThatThrownBy(() -> start("handler").close()).hasStackTraceContaining(
                "Route events-sink-analytics needs errorHandler: noErrorHandler: {}");
    }

    @Test
    void should_refuse_to_start_when_a_sink_has_no_route() throws Exception {
        write(sink("analytics", NO_ERROR_HANDLER), sink("dashboard", NO_ERROR_HANDLER));
        assertThatThrownBy(() -> start("missing").close()).hasStackTraceContaining(
                "events.sinks names crm but routes/*.yaml has no route events-sink-crm");
    }

    private void write(String... sinks) throws Exception {
        Files.writeString(routes.resolve("event-sinks.yaml"), String.join("", sinks));
    }

    private static String sink(String name, String errorHandler) {
        return SINK.formatted(name, errorHandler, name, name);
    }

    private ConfigurableApplicationContext start(String name) {
        return new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0",
                "--switchboard.sandbox.sqs-port=0",
                "--switchboard.sandbox.simulator-port=0",
                "--switchboard.routes-location=file:" + routes.toAbsolutePath() + "/*.yaml",
                "--spring.datasource.url=jdbc:h2:mem:sink-routes-" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--camel.springboot.main-run-controller=false");
    }
}
