package io.switchboard.dataactions;

import io.switchboard.platform.http.ApiRequestFilter;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import io.switchboard.platform.upstream.UpstreamGateway;
import io.switchboard.platform.upstream.UpstreamPlatform;
import io.switchboard.platform.upstream.UpstreamRetryPolicy;
import java.io.IOException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code direct:data-actions-submit}: send the validated create to CXone through the
 * shared upstream mechanism (token, request budget, 429/5xx backoff), measuring the header matrix
 * before every request and following redirects as {@link RedirectTrail} describes.
 */
@Component
public class DataActionSubmission {

    /** Exchange property: the {@link RedirectTrail} of this create. */
    public static final String TRAIL = "DataActionTrail";
    /** Exchange property: the validated request body (JSON text) sent to CXone. */
    public static final String PAYLOAD = "DataActionPayload";
    /** Exchange property: bytes of the last header matrix measured (Integer). */
    public static final String HEADER_BYTES = "DataActionHeaderBytes";
    static final String CREATE_PATH = "/api/v2/data-actions";

    private final UpstreamPlatform cxone;
    private final UpstreamRetryPolicy retries;

    public DataActionSubmission(UpstreamGateway upstreams, UpstreamRetryPolicy retries) {
        this.cxone = upstreams.platform("cxone");
        this.retries = retries;
    }

    /** Starts the trail at {@code <cxone.base-url>/api/v2/data-actions}. */
    public void begin(Exchange exchange) {
        String base = cxone.settings().getBaseUrl();
        if (base == null || base.isBlank()) {
            throw new IllegalStateException("cxone.base-url is not configured");
        }
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CREATE_PATH;
        exchange.setProperty(TRAIL, new RedirectTrail(url));
    }

    /** loopDoWhile: another request to send? */
    public boolean pending(Exchange exchange) {
        return !trail(exchange).arrived();
    }

    /**
     * Makes sure the platform's token cache holds a bearer token (fetching one if needed), so the header
     * check measures the token the request will carry. Retried by the upstream retry policy, as a token
     * fetch inside the mechanism would be; the token itself stays in the cache, never on the exchange.
     */
    public void obtainToken() throws Exception {
        retries.retrying(retries.maxAttempts(), () -> cxone.tokens().token());
    }

    /**
     * Measures the headers the next request will carry (with the cached bearer token, the same one the
     * mechanism will send) and refuses, before anything is sent, when they exceed the gateway's limit.
     */
    public void checkHeaders(Exchange exchange) throws IOException {
        HeaderMatrix matrix = matrix(exchange);
        exchange.setProperty(HEADER_BYTES, matrix.bytes());
        if (!matrix.fits()) {
            int over = matrix.bytes() - HeaderMatrix.LIMIT_BYTES;
            String message = "makes the request headers to CXone " + matrix.bytes() + " bytes, " + over
                    + " over the " + HeaderMatrix.LIMIT_BYTES + "-byte limit of CXone's gateway; send at most "
                    + Math.max(0, matrix.maxCorrelationIdBytes()) + " bytes (this one has "
                    + matrix.correlationIdBytes() + ")";
            throw new ProblemException(400, "Request headers too large",
                    "The headers of the request to CXone would total " + matrix.bytes() + " bytes; CXone accepts at most "
                            + HeaderMatrix.LIMIT_BYTES + ". The caller's X-Correlation-ID is what can be shortened.",
                    List.of(new FieldError(HeaderMatrix.CORRELATION_ID, message)))
                    .with("headerBytes", matrix.bytes())
                    .with("limitBytes", HeaderMatrix.LIMIT_BYTES);
        }
    }

    /** Readies the exchange for {@code direct:cxone}: method, URL, workflow headers, body. */
    public void prepareRequest(Exchange exchange) throws IOException {
        RedirectTrail trail = trail(exchange);
        Message in = exchange.getIn();
        in.setHeader(Upstream.METHOD, trail.method());
        in.setHeader(Upstream.PATH, trail.url());
        in.setHeader(Upstream.REQUEST_HEADERS, matrix(exchange).workflowHeaders());
        in.setBody(trail.withBody() ? exchange.getProperty(PAYLOAD, String.class) : null);
    }

    /** CXone answered 2xx: the trail ends here. */
    public void arrived(Exchange exchange) {
        trail(exchange).arrive(exchange.getIn().getHeader(Upstream.ATTEMPTS, 1, Integer.class));
    }

    /** Follows the redirect caught, or fails with a 502 naming every hop. */
    public void follow(Exchange exchange) {
        UpstreamException redirect = UpstreamException.of(exchange);
        RedirectTrail trail = trail(exchange);
        trail.countAttempts(redirect.attempts());
        trail.follow(redirect.status(), redirect.responseHeader("Location"));
    }

    private HeaderMatrix matrix(Exchange exchange) throws IOException {
        String correlationId = exchange.getIn().getHeader(ApiRequestFilter.CORRELATION_HEADER, String.class);
        return HeaderMatrix.of(correlationId, cxone.tokens().token(), trail(exchange).withBody());
    }

    static RedirectTrail trail(Exchange exchange) {
        RedirectTrail trail = exchange.getProperty(TRAIL, RedirectTrail.class);
        if (trail == null) {
            throw new IllegalStateException("no data action create in progress on this exchange");
        }
        return trail;
    }
}
