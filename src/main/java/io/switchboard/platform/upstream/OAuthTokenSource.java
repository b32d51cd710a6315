package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.config.PlatformSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 client-credentials tokens of one platform: cached, refreshed ahead of expiry, fetched by one
 * caller at a time however many wait, and dropped when the platform rejects them (401).
 *
 * <p>Small on purpose: Spring Security's client manager does not single-flight concurrent refreshes and
 * brings a web-security filter chain Switchboard does not use. The request is the standard
 * form-encoded one (RFC 6749 §4.4, credentials in the body); token values never reach a log line.
 */
public class OAuthTokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenSource.class);
    private static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(60);

    private record Token(String value, Instant refreshAt, Instant expiresAt) {
    }

    private final PlatformSettings platform;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token current;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public OAuthTokenSource(PlatformSettings platform, HttpClient http, Duration timeout, ObjectMapper json, Clock clock) {
        this.platform = platform;
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
    }

    /** A valid access token, fetching one first if none is cached or the cached one is about to expire. */
    public String token() throws IOException {
        Token token = current;
        if (isFresh(token)) {
            return token.value();
        }
        lock.lock();
        try {
            token = current;
            if (!isFresh(token)) {
                token = fetch();
                current = token;
            }
            return token.value();
        } finally {
            lock.unlock();
        }
    }

    /** The platform rejected this token: forget it (unless another caller already replaced it). */
    public void reject(String token) {
        lock.lock();
        try {
            Token cached = current;
            if (cached != null && cached.value().equals(token)) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Token requests made so far (a metric, and what tests count). */
    public long requests() {
        return requests.get();
    }

    /** Token requests that got no token (an error status, no answer, or no access_token in it). */
    public long failures() {
        return failures.get();
    }

    /** When the cached token expires, if one is cached (the token itself is never shown). */
    public Optional<Instant> validUntil() {
        Token token = current;
        return token == null ? Optional.empty() : Optional.of(token.expiresAt());
    }

    /** {@link #validUntil()} in epoch seconds, 0 when no token is cached (a gauge). */
    public double validUntilEpochSeconds() {
        return validUntil().map(Instant::getEpochSecond).orElse(0L);
    }

    private boolean isFresh(Token token) {
        return token != null && clock.instant().isBefore(token.refreshAt());
    }

    private Token fetch() throws IOException {
        requests.incrementAndGet();
        try {
            return request();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    private Token request() throws IOException {
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        appendParam(form, "client_id", platform.getClientId());
        appendParam(form, "client_secret", platform.getClientSecret());
        if (platform.getScope() != null && !platform.getScope().isBlank()) {
            appendParam(form, "scope", platform.getScope());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.getTokenUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while requesting a " + platform.displayName() + " token", e);
        }
        if (response.statusCode() != 200) {
            throw new UpstreamException(platform.displayName(), response.statusCode(),
                    platform.displayName() + " token endpoint answered " + response.statusCode()
                            + describeError(response.body()),
                    null, Map.of(), UpstreamRetryPolicy.parseRetryAfter(
                            response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(platform.displayName() + " token endpoint answered malformed JSON", e);
        }
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null || accessToken.isBlank()) {
            throw new UpstreamException(platform.displayName(), 502,
                    platform.displayName() + " token endpoint answered without access_token", null, Map.of(), null);
        }
        long expiresIn = body.path("expires_in").asLong(3600);
        Duration lifetime = Duration.ofSeconds(Math.max(1, expiresIn));
        Duration margin = lifetime.dividedBy(5).compareTo(MAX_REFRESH_MARGIN) < 0 ? lifetime.dividedBy(5) : MAX_REFRESH_MARGIN;
        LOG.info("Obtained a {} access token valid for {} s", platform.displayName(), expiresIn);
        Instant expiresAt = clock.instant().plus(lifetime);
        return new Token(accessToken, expiresAt.minus(margin), expiresAt);
    }

    /** The OAuth2 error code and description, which never contain the credentials. */
    private String describeError(String body) {
        try {
            JsonNode node = json.readTree(body);
            String error = node.path("error").asText("");
            String description = node.path("error_description").asText("");
            String text = (error + " " + description).trim();
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void appendParam(StringBuilder form, String name, String value) {
        form.append('&').append(name).append('=')
                .append(URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8));
    }
}
