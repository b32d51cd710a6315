package io.switchboard.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Camel instances sharing one lock directory, each with the email poll's {@code master:} wrapping of a timer:
 * only the leader's timer fires, and when the leader stops the other takes over. (Separate processes with a
 * killed leader are the two-instance IT's business; the mechanism is the same OS file lock.)
 */
class SingletonFailoverTest {

    final Path root = createRoot();
    final AtomicInteger firstTicks = new AtomicInteger();
    final AtomicInteger secondTicks = new AtomicInteger();
    DefaultCamelContext first;
    DefaultCamelContext second;

    @AfterEach
    void stop() {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
    }

    @Test
    void should_run_a_singleton_on_exactly_one_instance_and_move_it_when_the_leader_stops() throws Exception {
        first = instance("a", firstTicks);
        await().until(() -> firstTicks.get() > 0);
        second = instance("b", secondTicks);

        int before = firstTicks.get();
        await().until(() -> firstTicks.get() >= before + 5);
        assertThat(secondTicks.get()).as("ticks of the follower while the leader lives").isZero();

        first.stop();
        await().until(() -> secondTicks.get() > 0);
        int leaderTicksAtEnd = firstTicks.get();
        await().until(() -> secondTicks.get() >= 5);
        assertThat(firstTicks.get()).isEqualTo(leaderTicksAtEnd);
    }

    private DefaultCamelContext instance(String name, AtomicInteger ticks) throws Exception {
        ClusterProperties properties = new ClusterProperties(true, "file",
                new ClusterProperties.FileLock(root.toString(), Duration.ofMillis(200)),
                new ClusterProperties.Kubernetes(null, null, Duration.ofSeconds(15), Duration.ofSeconds(10),
                        Duration.ofSeconds(2)));
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.addService(ClusterConfiguration.create(properties), true, true);
        String endpoint = new ClusterSingletons(properties).once("email-reports", "timer:poll?period=50&delay=0");
        assertThat(endpoint).isEqualTo("master:email-reports:timer:poll?period=50&delay=0");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).process(exchange -> ticks.incrementAndGet());
            }
        });
        context.start();
        return context;
    }

    private static Path createRoot() {
        try {
            return Files.createTempDirectory("switchboard-cluster");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
