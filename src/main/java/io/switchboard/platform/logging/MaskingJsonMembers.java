package io.switchboard.platform.logging;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Masks secrets in structured (JSON) log lines: every string value (message, stack trace, MDC values, ...) goes
 * through {@link Secrets#mask}, as {@code %msg} and {@code %ex} do in the plain console format. Named by
 * {@code logging.structured.json.customizer} in config/application.yaml.
 */
public class MaskingJsonMembers implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, Secrets::mask));
    }
}
