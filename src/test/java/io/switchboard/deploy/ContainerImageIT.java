package io.switchboard.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The image {@code mvn -Pimage package} writes to target/jib-image.tar (skipped without it): its configuration
 * (entrypoint with the container JVM flags, a non-root numeric user, the ports), its files (the Java runtime and
 * the libraries it loads, schemas and default routes, no sandbox servers), nothing writable but /tmp; then its
 * layers unpacked into a directory and the entrypoint started there with chroot as user 10001 (and /proc, as a
 * container has), in profile live with environment settings: it becomes ready and delivers an event (needs root
 * for chroot and the mount; skipped otherwise).
 */
class ContainerImageIT {

    static final Path TARBALL = Path.of("target", "jib-image.tar");
    static final Path ROOT = Path.of("target", "image-rootfs").toAbsolutePath();
    static final String CHROOT = Files.isExecutable(Path.of("/usr/sbin/chroot")) ? "/usr/sbin/chroot" : "chroot";
    static final ObjectMapper JSON = new ObjectMapper();
    static JsonNode config;
    static final List<String> listing = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        Assumptions.assumeTrue(Files.exists(TARBALL), "no " + TARBALL + ": build it with mvn -Pimage package");
        Path image = Path.of("target", "image-unpacked").toAbsolutePath();
        delete(image);
        delete(ROOT);
        Files.createDirectories(image);
        Files.createDirectories(ROOT);
        run(List.of("tar", "-xf", TARBALL.toAbsolutePath().toString(), "-C", image.toString()));
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile()).get("config");
        for (JsonNode layer : manifest.get("Layers")) {
            String archive = image.resolve(layer.asText()).toString();
            run(List.of("tar", "-tvzf", archive)).stream().filter(line -> !line.startsWith("tar: ")).forEach(listing::add);
            run(List.of("tar", "--no-same-owner", "-xzf", archive, "-C", ROOT.toString()));
        }
        Files.createDirectories(ROOT.resolve("proc")); // the mount point a container runtime provides
    }

    /**
     * The command as a container runtime would start it: in the image's root, as user 10001, with /proc mounted
     * (java finds its libraries relative to /proc/self/exe), in a mount namespace of its own so the mount ends
     * with the process.
     */
    static List<String> inImage(List<String> command) {
        // absolute paths: the environment is the image's (PATH=/opt/java/bin)
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--fork", "/bin/sh", "-c",
                "/bin/mount -t proc proc \"$0/proc\" && exec " + CHROOT + " --userspec=10001:10001 \"$0\" \"$@\"",
                ROOT.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    @Test
    void should_start_the_jvm_as_a_non_root_user_with_container_aware_flags() {
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=/tmp", "io.switchboard.SwitchboardApplication");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/app");
        assertThat(config.get("Env").toString()).contains("PATH=/opt/java/bin");
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.get("ExposedPorts").has("8081/tcp")).isTrue();
    }

    @Test
    void should_carry_the_runtime_the_schemas_and_the_default_routes_but_no_sandbox() throws IOException {
        for (String file : List.of("opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/lib/security/cacerts",
                "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6", "etc/passwd", "app/jib-classpath-file",
                "app/resources/config/application.yaml", "app/resources/config/application-live.yaml",
                "app/resources/config/schemas/event-envelope.json", "app/resources/routes/event-sinks.yaml",
                "app/classes/io/switchboard/SwitchboardApplication.class")) {
            assertThat(ROOT.resolve(file)).as(file).isRegularFile();
        }
        try (Stream<Path> libraries = Files.list(ROOT.resolve("app/libs"))) {
            assertThat(libraries.map(path -> path.getFileName().toString()).toList()).isNotEmpty()
                    .noneMatch(name -> name.contains("wiremock") || name.contains("elasticmq")
                            || name.contains("pekko") || name.contains("openshift"));
        }
        assertThat(ROOT.resolve("app/classes/io/switchboard/platform/sandbox")).doesNotExist();
        assertThat(Files.readString(ROOT.resolve("etc/passwd"))).contains("switchboard:x:10001:10001:");
    }

    @Test
    void should_leave_nothing_writable_but_the_temp_directory() {
        // tar -tv: "drwxrwxrwx 0/0 0 1970-01-01 00:00 tmp/"; every entry is root's, so only mode bits for others count
        List<String> writable = listing.stream().filter(line -> line.length() > 10 && line.charAt(8) == 'w')
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
        assertThat(writable).containsExactly("tmp/");
        assertThat(listing).allMatch(line -> line.split("\\s+")[1].equals("0/0"), "owned by root");
    }

    @Test
    void should_run_its_entrypoint_as_user_10001_and_deliver_an_event() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chroot and mount need root");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        entrypoint.set(0, "/opt/java/bin/java"); // "java" on the image's PATH (/opt/java/bin)
        assertThat(run(inImage(List.of("/opt/java/bin/java", "-version")))).anyMatch(line -> line.contains("OpenJDK"));

        SQSRestServer sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        String sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        WireMockServer upstreams = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstreams.start();
        upstreams.stubFor(any(urlPathMatching("/sinks/.*")).willReturn(aResponse().withStatus(200)));
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
                LiveSwitchboard switchboard = new LiveSwitchboard("image", ROOT, upstreams.baseUrl(), sqsEndpoint)) {
            String queueUrl = sqs.createQueue(b -> b.queueName("switchboard-events")).queueUrl();
            sqs.createQueue(b -> b.queueName("switchboard-email-retry"));
            config.get("Env").forEach(entry -> {
                String[] pair = entry.asText().split("=", 2);
                switchboard.env.put(pair[0], pair[1]);
            });
            switchboard.start(inImage(entrypoint)).awaitReady();

            String id = UUID.randomUUID().toString();
            ObjectNode event = JSON.createObjectNode();
            event.put("version", "0");
            event.put("id", id);
            event.put("detail-type", "Interaction.Lifecycle.StageChanged");
            event.put("source", "com.nice.cxone.interactions");
            event.put("time", "2025-01-15T10:00:00Z");
            event.put("region", "us-east-1");
            event.putObject("detail").put("interaction.id", UUID.randomUUID().toString()).put("stage", "Connected");
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(event.toString()));
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> upstreams.verify(
                    postRequestedFor(urlEqualTo("/sinks/crm")).withHeader("X-Event-Id", equalTo(id))));
        } finally {
            upstreams.stop();
            sqsServer.stopAndWait();
        }
    }

    static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, lines).isZero();
        return lines;
    }

    static void delete(Path directory) throws IOException, InterruptedException {
        if (Files.exists(directory)) {
            run(List.of("rm", "-rf", directory.toString()));
        }
    }
}
