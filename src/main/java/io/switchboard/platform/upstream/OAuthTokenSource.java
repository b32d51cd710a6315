package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.config.PlatformSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * brings a web-security filter chain Switchboard does not use. The request is the standard client-credentials
 * grant (RFC 6749 §4.4) with the platform's {@code scopes}; the client authenticates as {@code token-auth-method}
 * says: {@code basic} (HTTP Basic, {@code client_secret_basic}, the method RFC 6749 §2.3.1 makes every server
 * support), {@code post} (id and secret in the form, {@code client_secret_post}) or {@code auto}: Basic first and,
 * when the server answers {@code invalid_client}, the form once; whichever worked is kept for later requests.
 * Token values and the secret never reach a log line.
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
    /** basic or post: the method in use (auto starts with basic and may settle on post). */
    private volatile String method;
    private volatile boolean settled;

    public OAuthTokenSource(PlatformSettings platform, HttpClient http, Duration timeout, ObjectMapper json, Clock clock) {
        this.platform = platform;
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        String configured = platform.getTokenAuthMethod() == null ? "auto" : platform.getTokenAuthMethod();
        this.method = configured.equals("post") ? "post" : "basic";
        this.settled = !configured.equals("auto");
    }

    /** The client authentication in use: {@code basic} or {@code post}. */
    public String authMethod() {
        return method;
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
        try {
            return request();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    private Token request() throws IOException {
        HttpResponse<String> response = send(method);
        if (!settled && isInvalidClient(response)) {
            LOG.info("{} token endpoint refused HTTP Basic client authentication (invalid_client); "
                    + "trying the client credentials in the form", platform.displayName());
            HttpResponse<String> viaForm = send("post");
            if (viaForm.statusCode() == 200) {
                method = "post";
            }
            response = viaForm;
        }
        if (response.statusCode() != 200) {
            throw new UpstreamException(platform.displayName(), response.statusCode(),
                    platform.displayName() + " token endpoint answered " + response.statusCode()
                            + describeError(response.body()),
                    null, Map.of(), UpstreamRetryPolicy.parseRetryAfter(
                            response.headers().firstValue("Retry-After").orElse(null), clock));
        }
        if (!settled) {
            settled = true;
            LOG.info("{} token endpoint accepts client authentication '{}': kept", platform.displayName(), method);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            // the platform's fault (502), not the caller's: a parse error must not read as a malformed request body
            throw new UpstreamException(platform.displayName(), 502,
                    platform.displayName() + " token endpoint answered malformed JSON", null, Map.of(), null);
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

    /** One token request, the client authenticated with HTTP Basic ({@code basic}) or in the form ({@code post}). */
    private HttpResponse<String> send(String how) throws IOException {
        requests.incrementAndGet();
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        String scopes = scopes();
        if (!scopes.isEmpty()) {
            appendParam(form, "scope", scopes);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.getTokenUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (how.equals("post")) {
            appendParam(form, "client_id", platform.getClientId());
            appendParam(form, "client_secret", platform.getClientSecret());
        } else {
            // RFC 6749 §2.3.1: id and secret form-urlencoded, then joined by ':' and Base64-encoded
            String pair = urlEncode(platform.getClientId()) + ":" + urlEncode(platform.getClientSecret());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while requesting a " + platform.displayName() + " token", e);
        }
    }

    /** The configured scopes, space separated as RFC 6749 §3.3 wants them. */
    private String scopes() {
        String scopes = platform.getScopes();
        return scopes == null ? "" : String.join(" ", scopes.trim().split("[\\s,]+")).trim();
    }

    /** RFC 6749 §5.2: a refused client authentication is 401 (or 400) with error {@code invalid_client}. */
    private boolean isInvalidClient(HttpResponse<String> response) {
        if (response.statusCode() != 400 && response.statusCode() != 401) {
            return false;
        }
        try {
            return "invalid_client".equals(json.readTree(response.body()).path("error").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
        form.append('&').append(name).append('=').append(urlEncode(value));
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
