package io.switchboard.platform.deadletter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * Work that exhausted its retries or could never succeed. {@code payload} is shown redacted; the
 * stored original, {@code redriveUri} and {@code headers} are what a redrive sends back.
 */
public record DeadLetter(
        String id,
        String source,
        String reason,
        int attempts,
        Instant createdAt,
        JsonNode payload,
        @JsonIgnore String rawPayload,
        @JsonIgnore String redriveUri,
        @JsonIgnore Map<String, String> headers) {
}
