package io.switchboard.bench;

import io.switchboard.SwitchboardApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Switchboard as the events benchmark runs it: a black box. The packaged jar ({@code target/switchboard-*.jar},
 * {@code java -jar}, as deployed) with its documented settings only: the SQS endpoint and queue, the three sinks,
 * the database, the consumer threads. Whatever its pipeline looks like inside, the harness sees it through SQS and
 * the sinks, and its process through the operating system. The smoke run starts the same application in the
 * harness JVM instead (nothing is packaged yet during {@code mvn verify}'s test phase).
 */
final class SwitchboardEngine implements Engine {

    /** Start-up limit: generous, a shared machine under load takes minutes to start Spring Boot. */
    private static final Duration STARTUP = Duration.ofMinutes(10);

    private final ChildJvm jvm;
    private final ConfigurableApplicationContext app;

    private SwitchboardEngine(ChildJvm jvm, ConfigurableApplicationContext app) {
        this.jvm = jvm;
        this.app = app;
    }

    /**
     * @param queue    the queue it consumes (a fresh one per start)
     * @param extra    further {@code key=value} settings (e.g. {@code events.resequence-window})
     */
    static SwitchboardEngine start(String name, BenchSettings settings, SqsServer sqs, SinkServers sinks, String queue,
                                   BenchDatabase.Target database, Map<String, String> extra, String heap)
            throws IOException, InterruptedException {
        int port = freePort();
        Map<String, String> own = new LinkedHashMap<>();
        own.put("server.port", Integer.toString(port));
        own.put("switchboard.sandbox.embedded-sqs", "false");
        own.put("switchboard.sandbox.simulate-upstreams", "false");
        own.put("switchboard.api-keys", "bench:bench-key:admin");
        own.put("aws.endpoint", sqs.engineEndpoint());
        own.put("aws.access-key-id", SqsServer.ACCESS_KEY);
        own.put("aws.secret-access-key", SqsServer.ACCESS_KEY);
        own.put("cxone.base-url", "http://127.0.0.1:9/cxone");
        own.put("cxone.token-url", "http://127.0.0.1:9/cxone/oauth/token");
        own.put("genesys.base-url", "http://127.0.0.1:9/genesys");
        own.put("genesys.token-url", "http://127.0.0.1:9/genesys/oauth/token");
        own.put("email.reports.initial-delay", "PT1000H");
        own.put("email.reports.poll-period", "PT1000H");
        own.put("email.retry-queue", SwitchboardLauncher.Queues.EMAIL_RETRY);
        own.put("events.queue", queue);
        own.put("events.node-id", "bench-" + name);
        own.put("events.consumers", Integer.toString(settings.consumers()));
        own.put("events.wait-time-seconds", Integer.toString(settings.waitTimeSeconds()));
        if (settings.resequenceWindow() != null) {
            own.put("events.resequence-window", settings.resequenceWindow().toString());
        }
        own.putAll(SwitchboardLauncher.sinks(sinks));
        own.put("spring.datasource.url", database.url());
        own.put("spring.datasource.username", database.user());
        own.put("spring.datasource.password", database.password());
        if (database.schema() != null) {
            own.put("spring.flyway.schemas", database.schema());
        }
        own.put("logging.level.root", "WARN");
        own.putAll(extra);
        if (settings.inProcess()) {
            // the smoke run stops it in the harness JVM: stopping waits for the retry queue's receive in progress
            own.putIfAbsent("email.retry.wait-time-seconds", "1");
        }
        List<String> args = new ArrayList<>();
        own.forEach((key, value) -> args.add("--" + key + "=" + value));
        if (settings.inProcess()) {
            return new SwitchboardEngine(null, SpringApplication.run(SwitchboardApplication.class,
                    args.toArray(String[]::new)));
        }
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC"));
        if (settings.flightRecording()) {
            options.add("-XX:FlightRecorderOptions=stackdepth=256"); // Camel's stacks are deeper than the default 64
            options.add("-XX:StartFlightRecording=settings=profile,filename="
                    + settings.workDir().toAbsolutePath().resolve("switchboard-" + name + ".jfr"));
        }
        Path jar = SwitchboardJar.findJar(settings.jar());
        ChildJvm jvm = ChildJvm.startJar("switchboard-" + name, options, jar, args, settings.workDir());
        try {
            awaitHealthy(jvm, port);
        } catch (RuntimeException | InterruptedException e) {
            jvm.kill();
            throw e;
        }
        return new SwitchboardEngine(jvm, null);
    }

    private static void awaitHealthy(ChildJvm jvm, int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("Switchboard exited during start-up; see " + jvm.log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Switchboard not healthy within " + STARTUP + "; see " + jvm.log());
    }

    @Override
    public ProcessHandle process() {
        return jvm == null ? null : jvm.process().toHandle();
    }

    /** The process id to take heap histograms of (this JVM's own in the smoke run). */
    long pid() {
        return jvm == null ? ProcessHandle.current().pid() : jvm.pid();
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
            return;
        }
        try {
            jvm.terminate(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
