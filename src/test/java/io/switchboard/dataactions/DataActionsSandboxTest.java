package io.switchboard.dataactions;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox pieces the Data Actions README relies on: the simulator's webhook receivers (plain JUnit,
 * the simulator's mappings under config/sandbox, the project root as working directory).
 */
class DataActionsSandboxTest {

    private static WireMockServer simulator;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        simulator = new WireMockServer(options().dynamicPort().usingFilesUnderDirectory("config/sandbox"));
        simulator.start();
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    private static int post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void should_accept_data_action_created_callbacks_at_hooks_data_actions() throws Exception {
        assertThat(post("/hooks/data-actions", "{\"event\":\"data_action.created\",\"status\":201}")).isEqualTo(204);
    }

    @Test
    void should_fail_every_callback_at_hooks_failing() throws Exception {
        assertThat(post("/hooks/failing", "{\"event\":\"data_action.created\",\"status\":201}")).isEqualTo(500);
    }
}
