package io.switchboard.genesys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.net.Cidr;
import io.switchboard.platform.net.HostResolver;
import io.switchboard.platform.net.NetworkPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guard and the pre-flight checks without the HTTP API, with DNS answered by the test: what the
 * checks connect to is what the guard checked, names are verified against certificates, answers that
 * mix public and private addresses are refused, and destinations are checked side by side.
 */
class DestinationChecksTest {

    private static TestCertificates certificates;
    private static TestHttpsServer server;

    private final CheckThreads threads = new CheckThreads(8);
    private final NetworkPolicy loopbackAllowed = new NetworkPolicy(Cidr.parseList("127.0.0.0/8"));

    @BeforeAll
    static void startDestination() {
        certificates = TestCertificates.get();
        server = new TestHttpsServer(certificates.trusted);
    }

    @AfterAll
    static void stopDestination() {
        server.close();
    }

    @AfterEach
    void stopThreads() {
        threads.close();
    }

    @Test
    void should_connect_only_to_the_address_the_guard_checked() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // a rebinding name: harmless the first time it is looked up, private on every later lookup
        HostResolver rebinding = host -> new InetAddress[] {
                InetAddress.getByName(lookups.incrementAndGet() == 1 ? "127.0.0.1" : "10.0.0.1")};
        int before = server.requests.get();

        List<CheckedDestination> admitted = guard(rebinding, loopbackAllowed, Duration.ofSeconds(2))
                .admit(request("https://destination.test:" + server.port() + "/health"));
        List<DestinationReport> reports = preflight(settings(Duration.ofSeconds(5))).check(admitted);

        assertThat(lookups).hasValue(1);
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.connectedTo()).isEqualTo("127.0.0.1");
            assertThat(report.addresses()).containsExactly("127.0.0.1");
            assertThat(report.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(report.healthStatus()).isEqualTo(200);
        });
        assertThat(server.requests.get()).isEqualTo(before + 1);
    }

    @Test
    void should_verify_the_certificate_against_the_destination_name_not_its_address() throws Exception {
        HostResolver dns = host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        List<CheckedDestination> admitted = guard(dns, loopbackAllowed, Duration.ofSeconds(2))
                .admit(request("https://other-name.test:" + server.port() + "/health"));

        assertThatThrownBy(() -> preflight(settings(Duration.ofSeconds(5))).check(admitted))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(502);
                    assertThat(problem.extensions()).containsEntry("check", "tls");
                    assertThat(problem.detail()).contains("does not match the host name");
                });
    }

    @Test
    void should_refuse_a_name_when_one_of_its_answers_is_outside_the_allowed_networks() {
        HostResolver dns = host -> new InetAddress[] {
                InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.0.0.5")};
        int before = server.requests.get();

        assertThatThrownBy(() -> guard(dns, loopbackAllowed, Duration.ofSeconds(2))
                .admit(request("https://destination.test:" + server.port() + "/health")))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.extensions()).containsEntry("check", "ssrf");
                    assertThat(problem.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("uri");
                        assertThat(error.message()).contains("destination.test resolves to 10.0.0.5");
                    });
                });
        assertThat(server.requests.get()).isEqualTo(before);
    }

    @Test
    void should_fail_the_dns_check_when_the_answer_does_not_come_in_time() {
        CountDownLatch never = new CountDownLatch(1);
        HostResolver hanging = host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new java.net.UnknownHostException(host);
        };

        assertThatThrownBy(() -> guard(hanging, loopbackAllowed, Duration.ofMillis(200))
                .admit(request("https://slow-dns.test/health")))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(502);
                    assertThat(problem.extensions()).containsEntry("check", "dns")
                            .containsEntry("destination", "https://slow-dns.test/health");
                    assertThat(problem.detail()).contains("no DNS answer for slow-dns.test within 200 ms");
                });
    }

    @Test
    void should_check_destinations_side_by_side() throws Exception {
        try (TestHttpsServer slow = new TestHttpsServer(certificates.trusted)) {
            List<String> uris = List.of(slow.url("/slow?n=1"), slow.url("/slow?n=2"), slow.url("/slow?n=3"));
            List<CheckedDestination> admitted = guard(HostResolver.system(), loopbackAllowed, Duration.ofSeconds(2))
                    .admit(request(uris.get(0), uris.get(1), uris.get(2)));
            PreflightChecks checks = preflight(settings(Duration.ofSeconds(60)));

            CompletableFuture<List<DestinationReport>> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return checks.check(admitted);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // all three health GETs are in flight at once before any is answered
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.waiting.get() == 3);
            slow.release();

            assertThat(running.get()).extracting(DestinationReport::destination).containsExactlyElementsOf(uris);
        }
    }

    private DestinationGuard guard(HostResolver resolver, NetworkPolicy policy, Duration dnsTimeout) {
        return new DestinationGuard(resolver, policy, threads, dnsTimeout);
    }

    private PreflightChecks preflight(ResolverProperties settings) {
        DestinationTls tls = DestinationTls.create(settings.trustStore(), settings.trustStorePassword());
        return new PreflightChecks(new DestinationProbe(tls, settings), threads, settings.probeBudget());
    }

    private static ResolverProperties settings(Duration healthTimeout) {
        return new ResolverProperties("127.0.0.0/8", certificates.trustStore.toString(),
                TestCertificates.TRUST_STORE_PASSWORD, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(10), healthTimeout, 8);
    }

    private static ResolveRequest request(String uri, String... uris) throws Exception {
        List<Destination> destinations = new java.util.ArrayList<>();
        destinations.add(DestinationParser.parse("uri", uri));
        for (int i = 0; i < uris.length; i++) {
            destinations.add(DestinationParser.parse("uris[" + i + "]", uris[i]));
        }
        return new ResolveRequest("test", "{}", destinations);
    }
}
