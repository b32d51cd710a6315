package io.switchboard.dataactions;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers one data-action request carries to CXone, and their size as CXone's API gateway counts
 * it: for every header, the bytes of its name and value plus 4 for {@code ": "} and CRLF. The gateway
 * refuses requests whose headers total more than {@link #LIMIT_BYTES}, so Switchboard measures before
 * it sends and answers 400 instead.
 *
 * <p>The matrix is exactly what the shared upstream mechanism puts on the wire for the call:
 * {@code Authorization} (the bearer token), {@code Accept} and {@code Content-Type} (only with a body)
 * are set by the mechanism itself; {@code X-Correlation-ID} and {@code X-Request-Source} are the
 * workflow's own ({@link #workflowHeaders()}). As CXone's gateway counts them, the transport's own headers
 * (Host, Content-Length, User-Agent, Connection) are not counted.
 */
public final class HeaderMatrix {

    /** CXone's gateway limit on the headers of one request. */
    public static final int LIMIT_BYTES = 8192;
    public static final String CORRELATION_ID = "X-Correlation-ID";
    public static final String REQUEST_SOURCE = "X-Request-Source";
    /** Tells CXone (and whoever reads its logs) which client made the call. */
    public static final String REQUEST_SOURCE_VALUE = "switchboard-data-actions";
    static final String JSON = "application/json";

    private final Map<String, String> headers;

    private HeaderMatrix(Map<String, String> headers) {
        this.headers = Collections.unmodifiableMap(headers);
    }

    /**
     * The headers of a request to CXone.
     *
     * @param withBody whether the request carries a JSON body (and so a Content-Type)
     */
    public static HeaderMatrix of(String correlationId, String token, boolean withBody) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (withBody) {
            headers.put("Content-Type", JSON);
        }
        headers.put("Accept", JSON);
        headers.put(CORRELATION_ID, correlationId == null ? "" : correlationId);
        headers.put(REQUEST_SOURCE, REQUEST_SOURCE_VALUE);
        headers.put("Authorization", "Bearer " + (token == null ? "" : token));
        return new HeaderMatrix(headers);
    }

    /** Total size in bytes: Σ len(name) + len(value) + 4. */
    public int bytes() {
        int total = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            total += bytes(header.getKey(), header.getValue());
        }
        return total;
    }

    /** The size of one header line, as {@link #bytes()} counts it. */
    public static int bytes(String name, String value) {
        return utf8Length(name) + utf8Length(value) + 4;
    }

    public boolean fits() {
        return bytes() <= LIMIT_BYTES;
    }

    /** The longest X-Correlation-ID (in bytes) that would still fit beside the other headers. */
    public int maxCorrelationIdBytes() {
        return LIMIT_BYTES - (bytes() - utf8Length(headers.get(CORRELATION_ID)));
    }

    public int correlationIdBytes() {
        return utf8Length(headers.get(CORRELATION_ID));
    }

    /** Every header of the request, names as sent (Authorization included: never log this map). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The workflow's own headers, for {@code Upstream.REQUEST_HEADERS}; the mechanism adds the rest. */
    public Map<String, String> workflowHeaders() {
        return Map.of(CORRELATION_ID, headers.get(CORRELATION_ID), REQUEST_SOURCE, headers.get(REQUEST_SOURCE));
    }

    private static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
