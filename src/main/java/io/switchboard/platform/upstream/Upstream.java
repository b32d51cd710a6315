package io.switchboard.platform.upstream;

/**
 * How a workflow calls CXone or Genesys Cloud: set these headers and send the exchange to
 * {@code direct:cxone} or {@code direct:genesys}.
 *
 * <pre>
 * .setHeader(Upstream.METHOD, constant("POST"))
 * .setHeader(Upstream.PATH, simple("/api/v1/email/channels/${exchangeProperty.channelId}/test"))
 * .to(Upstream.CXONE)
 * </pre>
 *
 * <p>The body (a JSON String, byte[], or any object, which is written as JSON; null for none) is
 * sent with the platform's bearer token, inside the platform's request budget, with retries for 429,
 * 5xx and I/O errors (see {@link UpstreamRetryPolicy}). The caller's own headers are never forwarded
 * and are restored afterwards. On return the body is the response body as a String and the
 * {@link #STATUS}, {@link #RESPONSE_HEADERS}, {@link #ATTEMPTS} and {@link #PLATFORM} headers describe the exchange;
 * a workflow reads the body with {@link io.switchboard.platform.json.JsonAnswers#upstreamObject} and its kin, so an
 * answer that is not JSON is an {@link UnreadableAnswerException} (502), never a malformed request of the caller.
 * A response outside 2xx, after retries where they apply, raises {@link UpstreamException}; an
 * upstream that cannot be reached raises the {@link java.io.IOException} of the last attempt. Either is
 * a plain exception of the calling step, for the caller's own error handling (its {@code doCatch}, its
 * API answer, its redelivery or dead letter); {@link UpstreamException#of} finds it on the exchange.
 * How the call works: {@link UpstreamCall}, docs/architecture.md#platform-layer.
 */
public final class Upstream {

    public static final String CXONE = "direct:cxone";
    public static final String GENESYS = "direct:genesys";

    /** HTTP method; defaults to POST with a body, GET without. */
    public static final String METHOD = "SwitchboardUpstreamMethod";
    /** Path under the platform's base URL (may carry a query), or an absolute http(s) URL. */
    public static final String PATH = "SwitchboardUpstreamPath";
    /** Optional {@code Map<String,String>} of extra request headers (If-Match, X-Correlation-ID ...). */
    public static final String REQUEST_HEADERS = "SwitchboardUpstreamRequestHeaders";
    /** Optional Integer: attempts in all for this call, instead of {@code upstream.max-attempts}. */
    public static final String MAX_ATTEMPTS = "SwitchboardUpstreamMaxAttempts";

    /** Result: the upstream's HTTP status (Integer). */
    public static final String STATUS = "SwitchboardUpstreamStatus";
    /** Result: response headers, a case-insensitive {@code Map<String,String>}. */
    public static final String RESPONSE_HEADERS = "SwitchboardUpstreamResponseHeaders";
    /** Result: the display name of the platform that answered ({@code CXone} or {@code Genesys Cloud}). */
    public static final String PLATFORM = "SwitchboardUpstreamPlatform";
    /** Result: HTTP calls made for this request (retries and the 401 repeat included). */
    public static final String ATTEMPTS = "SwitchboardUpstreamAttempts";

    private Upstream() {
    }
}
