package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.SwitchboardApplication;
import io.switchboard.test.Api;
import io.switchboard.test.TestUpstreams;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A plain H2 URL (no PostgreSQL mode), given as a user gives it (command line), works end to end; and readiness
 * follows the database: down while it refuses writes, up again when it takes them.
 */
class PlainH2DatabaseTest {

    static final String EVENT = """
            {"version":"0","id":"plain-h2-1","detail-type":"Interaction.Lifecycle.StageChanged",
             "source":"com.nice.cxone.interactions","time":"2025-01-15T10:00:01Z","region":"us-east-1","resources":[],
             "detail":{"interaction.id":"int-plain-h2","participant.id":"agent-7","stage":"Offered","state":"Ringing","sequence":1}}""";

    @Test
    void should_work_on_a_plain_h2_url_and_be_ready_only_while_the_database_takes_writes() {
        String upstreams = TestUpstreams.baseUrl();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.sandbox.sqs-port=0", "--switchboard.sandbox.simulate-upstreams=false",
                "--spring.datasource.url=jdbc:h2:mem:plain-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--switchboard.api-keys=tester:" + Api.KEY, "--email.reports.initial-delay=PT1H",
                "--cxone.base-url=" + upstreams + "/cxone", "--cxone.token-url=" + upstreams + "/cxone/oauth/token",
                "--cxone.client-id=c", "--cxone.client-secret=s", "--genesys.base-url=" + upstreams + "/genesys",
                "--genesys.token-url=" + upstreams + "/genesys/oauth/token", "--genesys.client-id=g",
                "--genesys.client-secret=s", "--email.retry.wait-time-seconds=1", // stops within about a second
                // the sandbox shows no health details; here the readiness answer must say which check is down
                "--management.endpoint.health.show-details=always")) {
            Api api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));

            // INSERT ... ON CONFLICT works: Switchboard completed the URL with MODE=PostgreSQL
            assertThat(app.getEnvironment().getProperty("spring.datasource.url")).contains(";MODE=PostgreSQL");
            Api.Response accepted = api.post("/api/events", EVENT);
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            assertThat(api.post("/api/events", EVENT).json().path("status").asText()).isEqualTo("duplicate");

            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/actuator/health/readiness").status() == 200);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            jdbc.sql("ALTER TABLE flyway_schema_history RENAME TO flyway_schema_history_away").update();
            try {
                Api.Response down = api.get("/actuator/health/readiness");
                assertThat(down.status()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains("eventRecording");
            } finally {
                jdbc.sql("ALTER TABLE flyway_schema_history_away RENAME TO flyway_schema_history").update();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/actuator/health/readiness").status() == 200);
        }
    }
}
