package io.switchboard.platform.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * CXone or Genesys Cloud answered outside 2xx. Carries what a workflow needs to decide (status,
 * headers such as ETag, Location or Retry-After, the upstream's own message) and never a credential.
 */
public class UpstreamException extends RuntimeException {

    private final String platform;
    private final int status;
    private final String responseBody;
    private final Map<String, String> responseHeaders;
    private final Duration retryAfter;
    private int attempts = 1;

    public UpstreamException(String platform, int status, String message, String responseBody,
                             Map<String, String> responseHeaders, Duration retryAfter) {
        super(message);
        this.platform = platform;
        this.status = status;
        this.responseBody = responseBody;
        TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (responseHeaders != null) {
            headers.putAll(responseHeaders);
        }
        this.responseHeaders = headers;
        this.retryAfter = retryAfter;
    }

    /**
     * The upstream failure an exchange is dealing with, or null: the exception on the exchange (as a
     * {@code doCatch(...).onWhen(...)} predicate sees it), else the one a {@code doCatch} or error handler
     * caught ({@link Exchange#EXCEPTION_CAUGHT}).
     */
    public static UpstreamException of(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return failure instanceof UpstreamException upstream ? upstream : null;
    }

    /**
     * A {@code doCatch(UpstreamException.class).onWhen(...)} predicate: the platform answered a status that
     * {@code status} accepts. A predicate object, not a bean method: Camel hands a bean method a copy of the
     * exchange without its exception, so the method could not see which failure is being caught.
     */
    public static Predicate answered(IntPredicate status) {
        return exchange -> {
            UpstreamException upstream = of(exchange);
            return upstream != null && status.test(upstream.status());
        };
    }

    /** Display name of the platform: {@code CXone} or {@code Genesys Cloud}. */
    public String platform() {
        return platform;
    }

    public int status() {
        return status;
    }

    public String responseBody() {
        return responseBody;
    }

    public String responseHeader(String name) {
        return responseHeaders.get(name);
    }

    public Map<String, String> responseHeaders() {
        return responseHeaders;
    }

    /** The Retry-After the upstream asked for, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** On a 403: the scope or permission the platform says is missing ("scope x" / "permission y"), else null. */
    public String missingPermission() {
        return status == 403 ? MissingPermission.describe(responseBody, responseHeaders) : null;
    }

    /** 429 and 5xx are worth another attempt; every other status (a 403 among them) fails at once. */
    public boolean isRetryable() {
        return status == 429 || status >= 500;
    }

    public int attempts() {
        return attempts;
    }

    void attempts(int attempts) {
        this.attempts = attempts;
    }
}
