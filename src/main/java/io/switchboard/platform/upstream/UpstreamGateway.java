package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import io.switchboard.platform.json.JsonAnswers;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Message;

/**
 * The platforms Switchboard calls, and what every call to them shares: reading the caller's request
 * from the {@link Upstream} headers, and turning an answer outside 2xx into an {@link UpstreamException}
 * with the upstream's own message. The calls themselves are made by {@link UpstreamCall}.
 */
public class UpstreamGateway {

    /** One call as the caller asked for it; the body is bytes, so every attempt sends it whole again. */
    record Request(String method, String url, byte[] body, Map<String, String> extraHeaders, Integer maxAttempts) {
    }

    private final Map<String, UpstreamPlatform> platforms;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    public UpstreamGateway(Map<String, UpstreamPlatform> platforms, ObjectMapper json, Clock clock, MeterRegistry meters) {
        this.platforms = platforms;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    public UpstreamPlatform platform(String id) {
        UpstreamPlatform platform = platforms.get(id);
        if (platform == null) {
            throw new IllegalArgumentException("unknown platform " + id);
        }
        return platform;
    }

    /** The request the caller described with the {@link Upstream} headers and the body. */
    Request request(UpstreamPlatform platform, Message in) {
        String path = in.getHeader(Upstream.PATH, String.class);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("header " + Upstream.PATH + " is required for an upstream call");
        }
        byte[] body = bodyBytes(in.getBody());
        String method = in.getHeader(Upstream.METHOD, String.class);
        @SuppressWarnings("unchecked")
        Map<String, String> extra = in.getHeader(Upstream.REQUEST_HEADERS, Map.class);
        return new Request(method != null ? method.toUpperCase() : (body != null ? "POST" : "GET"),
                resolve(platform.settings().getBaseUrl(), path), body,
                extra == null ? Map.of() : Map.copyOf(extra), in.getHeader(Upstream.MAX_ATTEMPTS, Integer.class));
    }

    /** Counts the answer; an answer outside 2xx becomes the failure it stands for. */
    void verdict(UpstreamPlatform platform, int status, Map<String, String> headers, String body) {
        meters.counter("switchboard.upstream.responses", "platform", platform.id(),
                "status", Integer.toString(status)).increment();
        if (status < 200 || status > 299) {
            throw new UpstreamException(platform.displayName(), status,
                    platform.displayName() + " answered " + status + upstreamMessage(body),
                    body, headers, UpstreamRetryPolicy.parseRetryAfter(headers.get("Retry-After"), clock));
        }
    }

    private byte[] bodyBytes(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return json.writeValueAsBytes(body instanceof JsonNode node ? node : body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upstream request as JSON", e);
        }
    }

    static String resolve(String baseUrl, String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return path;
        }
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalStateException("the platform's base-url is not configured");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    /** The upstream's own explanation, from the usual JSON error fields, else the start of the body. */
    private String upstreamMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode node = JsonAnswers.readOrNull(json, body);
        if (node != null) {
            for (String field : new String[] {"message", "error_description", "detail", "title", "error"}) {
                JsonNode value = node.path(field);
                if (value.isTextual() && !value.asText().isBlank()) {
                    return ": " + value.asText();
                }
            }
        }
        String text = body.strip();
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
