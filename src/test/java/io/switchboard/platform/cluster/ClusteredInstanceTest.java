package io.switchboard.platform.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.email.DeliveryReports;
import io.switchboard.test.IntegrationTestBase;
import io.switchboard.test.SwitchboardTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * One instance with clustering on (file lock service): its delivery-report poll is a {@code master:} route, and
 * as the only candidate it becomes leader and polls; the Kubernetes probe endpoints answer.
 */
@SwitchboardTest
@DirtiesContext // its poll runs every 0.5 s against the shared upstream stub: must not outlive this class
@TestPropertySource(properties = {
        "switchboard.cluster.enabled=true",
        "switchboard.cluster.service=file",
        "switchboard.cluster.file.root=${java.io.tmpdir}/switchboard-cluster-test-${random.uuid}",
        "switchboard.cluster.file.acquire-lock-interval=PT0.2S",
        "email.reports.poll-period=PT0.5S",
        "email.reports.initial-delay=PT0S"})
class ClusteredInstanceTest extends IntegrationTestBase {

    @Autowired
    JdbcClient jdbc;

    static final String REPORTS = "/cxone/api/v1/email/delivery/reports";

    @Test
    void should_poll_the_delivery_reports_once_elected_leader() {
        upstream().stubFor(get(urlPathEqualTo(REPORTS)).willReturn(okJson("{\"items\":[],\"pageSize\":0,\"totalCount\":0}")));

        assertThat(camel.getRoute("email-reports-timer").getEndpoint().getEndpointUri())
                .startsWith("master:email-reports:timer:");
        await().until(() -> !upstream().findAll(getRequestedFor(urlPathEqualTo(REPORTS))).isEmpty());
    }

    @Test
    void should_answer_the_same_delivery_summary_on_an_instance_that_does_not_poll() {
        upstream().stubFor(get(urlPathEqualTo(REPORTS)).willReturn(okJson(
                "{\"items\":[{\"messageId\":\"m-1\",\"status\":\"delivered\"}],\"pageSize\":1,\"totalCount\":1}")));
        await().until(() -> api.get("/api/email/delivery/summary").json().path("items").asLong() == 1);

        // another instance on the same database: its own poller never ran
        DeliveryReports follower = new DeliveryReports(new SimpleMeterRegistry(), jdbc);
        assertThat(follower.summary()).containsEntry("items", 1L).containsEntry("delivered", 1L);
        assertThat(follower.summary().get("polledAt")).isNotNull();
    }

    @Test
    void should_answer_the_kubernetes_liveness_and_readiness_probes() {
        await().until(() -> api.get("/actuator/health/liveness").status() == 200);
        assertThat(api.get("/actuator/health/liveness").json().path("status").asText()).isEqualTo("UP");
        await().until(() -> api.get("/actuator/health/readiness").status() == 200);
    }
}
