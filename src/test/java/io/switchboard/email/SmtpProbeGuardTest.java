package io.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.net.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SMTP probe behind the SSRF guard: a listener on loopback proves that no spelling of a local,
 * private or metadata address, no name resolving to one, and no {@code email.probe.connect-to} entry
 * pointing at one makes the probe connect; {@code email.probe.allowed-networks} is the only way in.
 */
class SmtpProbeGuardTest {

    private ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    accepted.incrementAndGet();
                    socket.getOutputStream().write("554 go away\r\n".getBytes());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "loopback-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private static EmailProperties settings(String allowedNetworks, List<String> connectTo) {
        return new EmailProperties("retry",
                new EmailProperties.Reports(Duration.ofMinutes(1), Duration.ofMinutes(1), 5, 10),
                new EmailProperties.Retry(Duration.ofSeconds(1), Duration.ofSeconds(2), 3, Duration.ofSeconds(60),
                        Duration.ofDays(1), 1),
                new EmailProperties.Probe(Duration.ofSeconds(2), Duration.ofSeconds(2), "switchboard.test", null, null,
                        connectTo, allowedNetworks));
    }

    private SmtpTestRequest request(String server) {
        return new SmtpTestRequest(server, listener.getLocalPort(), null, null, false);
    }

    private static void assertRefusedNamingServer(Runnable probe) {
        assertThatThrownBy(probe::run).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).extracting(FieldError::field).containsExactly("server");
        });
    }

    @ParameterizedTest(name = "{0} is refused without a connection")
    @ValueSource(strings = {"127.0.0.1", "localhost", "LocalHost.", "2130706433", "0x7f000001", "0177.0.0.1", "127.1",
            "0x7f.0.0.1", "0", "0.0.0.0", "::ffff:127.0.0.1", "[::ffff:7f00:1]", "::1", "user@127.0.0.1",
            "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.100.100.200", "[fd00:ec2::254]"})
    void should_refuse_every_spelling_of_a_non_public_address_without_connecting(String server) {
        SmtpProbe probe = new SmtpProbe(settings("", List.of()));

        assertRefusedNamingServer(() -> probe.probe(request(server)));
        assertThat(accepted).as("connections that reached the loopback listener").hasValue(0);
    }

    @Test
    void should_refuse_a_name_whose_dns_answer_is_local() {
        HostResolver dns = host -> new InetAddress[] {InetAddress.getByName("93.184.215.14"),
                InetAddress.getByName("127.0.0.1")};
        SmtpProbe probe = new SmtpProbe(settings("", List.of()), dns);

        assertRefusedNamingServer(() -> probe.probe(request("relay.example.com")));
        assertThat(accepted).hasValue(0);
    }

    @Test
    void should_check_the_address_connect_to_dials_not_the_name_asked_for() {
        int port = listener.getLocalPort();
        SmtpProbe probe = new SmtpProbe(settings("", List.of("relay.example.com:" + port + "=127.0.0.1:" + port)),
                host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")});

        assertRefusedNamingServer(() -> probe.probe(request("relay.example.com")));
        assertThat(accepted).hasValue(0);
    }

    @Test
    void should_connect_to_a_local_relay_only_inside_the_allowed_networks() {
        SmtpProbe probe = new SmtpProbe(settings("127.0.0.0/8", List.of()));

        ProbeReport report = probe.probe(request("2130706433"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(accepted).hasValue(1));
        assertThat(report.success()).isFalse();
        assertThat(report.replyCodes()).containsExactly(554);
    }
}
