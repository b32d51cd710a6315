package io.switchboard.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Leader election of the report poll against a Kubernetes API server (fabric8's mock in CRUD mode): two
 * packaged jars (which carry no OpenShift client) in profile live with {@code switchboard.cluster.service=kubernetes},
 * each a "pod" of the namespace. One holds the Lease {@code switchboard-email-reports} and only it polls CXone's
 * delivery reports (each instance has its own CXone path on one WireMock, so the journal tells them apart). The
 * leader stops (SIGTERM, and its pod is deleted as Kubernetes does): the other takes the Lease within the lease
 * duration and polls.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaseIT {

    static final String NAMESPACE = "switchboard";
    static final String LEASE = "switchboard-email-reports";
    static final Duration LEASE_DURATION = Duration.ofSeconds(10);
    static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

    static KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path directory;

    SQSRestServer sqsServer;
    String sqsEndpoint;
    WireMockServer upstreams;
    final Map<String, LiveSwitchboard> pods = new LinkedHashMap<>();

    @BeforeEach
    void servers() {
        // the test's own view of the API server, with patient timeouts (the machine may be busy)
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url("/")).withTrustCerts(true).withNamespace(NAMESPACE)
                .withConnectionTimeout(60_000).withRequestTimeout(120_000).build()).build();
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            sqs.createQueue(b -> b.queueName("switchboard-events"));
            sqs.createQueue(b -> b.queueName("switchboard-email-retry"));
        }
        upstreams = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstreams.start();
        upstreams.stubFor(post(urlPathMatching("/pod-./cxone/oauth/token")).willReturn(
                okJson("{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
        upstreams.stubFor(get(urlPathMatching("/pod-./cxone/api/v1/email/delivery/reports")).willReturn(
                okJson("{\"items\":[],\"pageSize\":0,\"totalCount\":0}")));
        upstreams.stubFor(any(urlPathMatching("/sinks/.*")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() throws Exception {
        for (LiveSwitchboard pod : pods.values()) {
            pod.close();
        }
        upstreams.stop();
        sqsServer.stopAndWait();
        client.close();
    }

    @Test
    void should_poll_on_the_lease_holder_only_and_move_the_lease_when_the_leader_stops() throws Exception {
        start("pod-a");
        start("pod-b");
        pods.values().forEach(LiveSwitchboard::awaitReady);

        await().atMost(Duration.ofMinutes(3)).until(() -> holder() != null && pods.containsKey(holder()));
        String leader = holder();
        String follower = leader.equals("pod-a") ? "pod-b" : "pod-a";
        int seen = polls(leader);
        await().atMost(Duration.ofMinutes(3)).until(() -> polls(leader) >= seen + 3);
        assertThat(polls(follower)).as("report polls by %s, which does not hold the Lease", follower).isZero();
        assertThat(holder()).isEqualTo(leader);

        pods.get(leader).stop();                                      // SIGTERM; the process has exited
        client.pods().inNamespace(NAMESPACE).withName(leader).delete();
        long stopped = System.nanoTime();
        // within the lease duration of the leader's last renewal (before its exit), plus the follower's next check
        // and some leeway for a busy machine
        await().atMost(LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(2)).plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> follower.equals(holder()));
        long takeoverMs = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        await().atMost(Duration.ofMinutes(3)).until(() -> polls(follower) > 0);
        long pollingMs = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        System.out.printf("Kubernetes Lease: %s held %s and polled %d times alone; after it stopped, %s took the "
                + "Lease %d ms later (lease duration %d s) and polled %d ms later%n", leader, LEASE, polls(leader),
                follower, takeoverMs, LEASE_DURATION.toSeconds(), pollingMs);
    }

    void start(String name) throws Exception {
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", "switchboard").endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
        LiveSwitchboard pod = new LiveSwitchboard(name, Files.createDirectories(directory.resolve(name)),
                upstreams.baseUrl(), sqsEndpoint);
        pod.env.put("CXONE_BASE_URL", upstreams.baseUrl() + "/" + name + "/cxone");
        pod.env.put("CXONE_TOKEN_URL", upstreams.baseUrl() + "/" + name + "/cxone/oauth/token");
        pod.env.put("EMAIL_REPORTS_INITIAL_DELAY", "PT0S");
        pod.env.put("EMAIL_REPORTS_POLL_PERIOD", "PT0.5S");
        pod.env.put("SWITCHBOARD_CLUSTER_ENABLED", "true");
        pod.env.put("SWITCHBOARD_CLUSTER_SERVICE", "kubernetes");
        pod.env.put("SWITCHBOARD_CLUSTER_KUBERNETES_POD_NAME", name);
        pod.env.put("SWITCHBOARD_CLUSTER_KUBERNETES_NAMESPACE", NAMESPACE);
        pod.env.put("SWITCHBOARD_CLUSTER_KUBERNETES_LEASE_DURATION", LEASE_DURATION.toString());
        pod.env.put("SWITCHBOARD_CLUSTER_KUBERNETES_RENEW_DEADLINE", "PT7S");
        pod.env.put("SWITCHBOARD_CLUSTER_KUBERNETES_RETRY_PERIOD", RETRY_PERIOD.toString());
        // the fabric8 client's own configuration, as a pod's service account would give it
        pod.env.put("KUBERNETES_MASTER", server.url("/"));
        pod.env.put("KUBERNETES_NAMESPACE", NAMESPACE);
        pod.env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
        pod.env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        pod.env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        pods.put(name, pod.startJar(LiveSwitchboard.jar()));
    }

    String holder() {
        Lease lease = client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    int polls(String pod) {
        return upstreams.findAll(getRequestedFor(urlPathEqualTo("/" + pod + "/cxone/api/v1/email/delivery/reports")))
                .size();
    }
}
