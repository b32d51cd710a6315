package io.switchboard.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * The console encoder of logback-spring.xml: JSON lines (ECS, Logstash) with secrets masked in the message, the
 * stack trace and the MDC, and the masked plain pattern when no structured format is set.
 */
class StructuredLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-canary-" + System.nanoTime();

    @Test
    void should_write_ecs_json_lines_with_secrets_masked() throws Exception {
        JsonNode line = JSON.readTree(encode("ecs"));

        assertThat(line.path("log").path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("token refused: password=*** (Bearer ***)");
        assertThat(line.path("X-Correlation-ID").asText()).isEqualTo("corr-42");
        assertThat(line.toString()).contains("error").doesNotContain(SECRET).contains(Secrets.MASK);
    }

    @Test
    void should_write_logstash_json_lines_with_secrets_masked() throws Exception {
        JsonNode line = JSON.readTree(encode("logstash"));

        assertThat(line.path("message").asText()).isEqualTo("token refused: password=*** (Bearer ***)");
        assertThat(line.path("X-Correlation-ID").asText()).isEqualTo("corr-42");
        assertThat(line.toString()).doesNotContain(SECRET);
    }

    @Test
    void should_write_the_masked_pattern_without_a_structured_format() {
        String line = encode("");

        assertThat(line).contains("token refused: password=*** (Bearer ***)").doesNotContain(SECRET).doesNotStartWith("{");
    }

    private static String encode(String format) {
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), new MockEnvironment()
                .withProperty("logging.structured.json.customizer", MaskingJsonMembers.class.getName())
                .withProperty("spring.application.name", "switchboard"));
        // what the conversionRule elements of logback-spring.xml register
        context.putObject(ch.qos.logback.core.CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, new java.util.HashMap<>(Map.of(
                "msg", (java.util.function.Supplier<?>) MaskingMessageConverter::new,
                "ex", (java.util.function.Supplier<?>) MaskingThrowableConverter::new)));
        ConsoleLogEncoder encoder = new ConsoleLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.setPattern("%level %msg%n%ex");
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        Logger logger = context.getLogger("test");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "token refused: password={} (Bearer {})", new IllegalStateException("client_secret=" + SECRET),
                new Object[] {SECRET, SECRET});
        event.setMDCPropertyMap(Map.of("X-Correlation-ID", "corr-42"));
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }
}
