package io.switchboard.platform.http;

import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.config.SwitchboardProperties;
import io.switchboard.platform.security.AccessPolicy;
import io.switchboard.platform.security.ApiKeys;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.security.LoginThrottle;
import io.switchboard.platform.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door of {@code /api/**}: API-key authentication (X-API-Key or Authorization: Bearer, compared in
 * constant time by {@link ApiKeys}), the brute-force brake ({@link LoginThrottle}: 429 with Retry-After),
 * the key's role against the role the call needs ({@link AccessPolicy}: 403 naming it), the body size
 * limit, JSON-only bodies, and a correlation id for every request. A wrong key is audited as
 * {@code auth.failed} (the client address, never the key), a call beyond the key's role as
 * {@code auth.denied} (the key's name); neither reaches a route, so neither reaches an upstream. What
 * passes reaches the Camel routes with the caller's name in {@link #OPERATOR_HEADER}, its role in
 * {@link #ROLE_HEADER} and without the credential, so no key can end up in an audit record or a log line.
 * The OpenAPI document and its Swagger UI ({@code /api/docs}) are open. Every log line written while the request
 * is handled carries its correlation id (MDC).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiRequestFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRequestFilter.class);

    public static final String OPERATOR_HEADER = "X-Switchboard-Operator";
    public static final String ROLE_HEADER = "X-Switchboard-Role";
    public static final String CORRELATION_HEADER = "X-Correlation-ID";
    /** Audit workflow of the door's own records ({@code auth.failed}, {@code auth.denied}). */
    public static final String AUDIT_WORKFLOW = "security";
    private static final String OPENAPI_PATH = "/api/openapi.json";

    private final ApiKeys keys;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final long maxBodyBytes;
    private final Problems problems;

    public ApiRequestFilter(SwitchboardProperties properties, ApiKeys keys, LoginThrottle throttle, AuditLog audit,
                            Problems problems) {
        this.keys = keys;
        this.throttle = throttle;
        this.audit = audit;
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/api") || path.startsWith("/api/")) || path.equals(OPENAPI_PATH)
                || path.equals(ApiDocsWebConfiguration.PATH) || path.startsWith(ApiDocsWebConfiguration.PATH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String correlationId = request.getHeader(CORRELATION_HEADER);
        if (correlationId == null || correlationId.isBlank()) {
            correlationId = UUID.randomUUID().toString();
        }
        response.setHeader(CORRELATION_HEADER, correlationId);
        String address = request.getRemoteAddr();
        Optional<Duration> blocked = throttle.blockedFor(address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            reject(response, new ProblemException(429, "Too Many Requests",
                    "Too many wrong API keys from this address; try again in " + seconds + " s"));
            return;
        }
        String presented = presentedKey(request);
        Optional<Caller> caller = keys.find(presented);
        if (caller.isEmpty()) {
            if (presented != null) {
                throttle.failed(address);
                audit.record(AuditRecord.of(AUDIT_WORKFLOW, "auth.failed").operator("anonymous").target(address)
                        .correlationId(correlationId)
                        .failure(401, "wrong API key").payload(Map.of("method", request.getMethod(),
                                "path", request.getRequestURI(), "clientAddress", address)));
            }
            response.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
            reject(response, new ProblemException(401, "Unauthorized",
                    "Send a valid API key in X-API-Key (or Authorization: Bearer <key>)"));
            return;
        }
        Role needed = AccessPolicy.required(request.getMethod(), request.getRequestURI());
        if (!caller.get().role().includes(needed)) {
            audit.record(AuditRecord.of(AUDIT_WORKFLOW, "auth.denied").operator(caller.get().name())
                    .correlationId(correlationId)
                    .target(request.getMethod() + " " + request.getRequestURI())
                    .failure(403, "needs role " + needed.text() + ", the key has role " + caller.get().role().text())
                    .payload(Map.of("requiredRole", needed.text(), "role", caller.get().role().text())));
            reject(response, new ProblemException(403, "Forbidden", request.getMethod() + " " + request.getRequestURI()
                    + " needs role " + needed.text() + "; the API key '" + caller.get().name() + "' has role "
                    + caller.get().role().text()).with("requiredRole", needed.text()));
            return;
        }
        String operator = caller.get().name();
        byte[] body = null;
        if (hasBody(request)) {
            if (request.getContentLengthLong() > maxBodyBytes) {
                reject(response, tooLarge());
                return;
            }
            if (!isJson(request.getContentType())) {
                reject(response, new ProblemException(415, "Unsupported Media Type", request.getContentType() == null
                        ? "The request has no Content-Type; send the body as application/json"
                        : "Send the body as application/json (got " + request.getContentType() + ")"));
                return;
            }
            body = readAtMost(request.getInputStream(), maxBodyBytes);
            if (body == null) {
                reject(response, tooLarge());
                return;
            }
        }
        // every log line written for this request carries its correlation id; Camel steps on other threads get it
        // from the header (camel.mdc.custom-exchange-headers)
        MDC.put(CORRELATION_HEADER, correlationId);
        try {
            LOG.debug("{} {} by {}", request.getMethod(), request.getRequestURI(), operator);
            chain.doFilter(new AuthenticatedRequest(request, operator, caller.get().role().text(), correlationId, body),
                    new CorrelatedResponse(response));
        } finally {
            MDC.remove(CORRELATION_HEADER);
        }
    }

    /** The key in X-API-Key or Authorization: Bearer; null when none was sent. */
    private static String presentedKey(HttpServletRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key == null) {
            String authorization = request.getHeader("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                key = authorization.substring(7).trim();
            }
        }
        return key == null || key.isEmpty() ? null : key;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true; // a bare body is read as JSON; anything declared otherwise is refused
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "Payload Too Large",
                "Request bodies are limited to " + maxBodyBytes + " bytes");
    }

    private void reject(HttpServletResponse response, ProblemException problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(problems.write(problem));
    }

    /**
     * The response as the routes write it. X-Correlation-ID is already set on it here, and the routes'
     * answers (JsonResponses, Problems) carry it too; platform-http adds every message header, so
     * without this the answer carried the header twice (read as "id, id" by clients that join them).
     */
    static final class CorrelatedResponse extends jakarta.servlet.http.HttpServletResponseWrapper {

        CorrelatedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addHeader(String name, String value) {
            if (CORRELATION_HEADER.equalsIgnoreCase(name)) {
                setHeader(CORRELATION_HEADER, value);
            } else {
                super.addHeader(name, value);
            }
        }
    }

    /** The request as the routes see it: operator and correlation id added, credentials removed. */
    static final class AuthenticatedRequest extends HttpServletRequestWrapper {
        private static final List<String> HIDDEN = List.of("x-api-key", "authorization",
                OPERATOR_HEADER.toLowerCase(Locale.ROOT), ROLE_HEADER.toLowerCase(Locale.ROOT),
                CORRELATION_HEADER.toLowerCase(Locale.ROOT));

        private final String operator;
        private final String role;
        private final String correlationId;
        private final byte[] body;

        AuthenticatedRequest(HttpServletRequest request, String operator, String role, String correlationId,
                             byte[] body) {
            super(request);
            this.operator = operator;
            this.role = role;
            this.correlationId = correlationId;
            this.body = body;
        }

        @Override
        public String getHeader(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals(OPERATOR_HEADER.toLowerCase(Locale.ROOT))) {
                return operator;
            }
            if (lower.equals(ROLE_HEADER.toLowerCase(Locale.ROOT))) {
                return role;
            }
            if (lower.equals(CORRELATION_HEADER.toLowerCase(Locale.ROOT))) {
                return correlationId;
            }
            if (HIDDEN.contains(lower)) {
                return null;
            }
            if (body != null && lower.equals("content-length")) {
                return Integer.toString(body.length);
            }
            if (body != null && lower.equals("transfer-encoding")) {
                return null;
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            String lower = name.toLowerCase(Locale.ROOT);
            if (HIDDEN.contains(lower) || lower.equals("content-length") || lower.equals("transfer-encoding")) {
                return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!HIDDEN.contains(lower) && !(body != null && lower.equals("transfer-encoding"))) {
                    names.add(name);
                }
            }
            names.add(OPERATOR_HEADER);
            names.add(ROLE_HEADER);
            names.add(CORRELATION_HEADER);
            return Collections.enumeration(names);
        }

        @Override
        public int getContentLength() {
            return body != null ? body.length : super.getContentLength();
        }

        @Override
        public long getContentLengthLong() {
            return body != null ? body.length : super.getContentLengthLong();
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            if (body == null) {
                return super.getReader();
            }
            String encoding = getCharacterEncoding();
            java.nio.charset.Charset charset = encoding == null ? StandardCharsets.UTF_8
                    : java.nio.charset.Charset.forName(encoding);
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            return new BufferedBodyStream(body);
        }
    }
}
