package io.switchboard.platform.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one door every request body of {@code /api/**} passes before a workflow sees it (after authentication in
 * {@link ApiRequestFilter}). For an endpoint that takes a JSON body ({@link ApiEndpoints}) it refuses, as
 * problem+json: a missing or non-JSON Content-Type, or a charset other than UTF-8 (415); then whatever
 * {@link JsonBodies} refuses (400: empty, not strict UTF-8, not one JSON object, beyond the parse limits, a
 * duplicate key, a NUL). A UTF-8 byte-order mark is stripped. The workflow then reads the checked text, and its
 * JSON Schema names any field out of bounds. Every {@code {id}} in an {@code /api} path must match
 * {@link ApiEndpoints#PATH_ID}, or the answer is a 400 naming it. See docs/http-input.md.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class JsonBodyFilter extends OncePerRequestFilter {

    private final ApiEndpoints endpoints;
    private final JsonBodies bodies;
    private final Problems problems;

    public JsonBodyFilter(ApiEndpoints endpoints, JsonBodies bodies, Problems problems) {
        this.endpoints = endpoints;
        this.bodies = bodies;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            ApiEndpoints.Match match = endpoints.match(request.getMethod(), request.getRequestURI());
            if (match == null) {
                chain.doFilter(request, response);
                return;
            }
            match.checkPathIds();
            if (!match.takesBody()) {
                chain.doFilter(request, response);
                return;
            }
            checkContentType(request.getContentType());
            byte[] text = bodies.check(request.getInputStream().readAllBytes());
            chain.doFilter(new CheckedBody(request, text), response);
        } catch (ProblemException problem) {
            response.setStatus(problem.status());
            problem.headers().forEach(response::setHeader);
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(problems.write(problem));
        }
    }

    static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new ProblemException(415, "Unsupported Media Type",
                    "The request has no Content-Type; send the body as application/json");
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        String type = parts[0].trim();
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new ProblemException(415, "Unsupported Media Type",
                    "Send the body as application/json (got " + parts[0].trim() + ")");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring(8).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new ProblemException(415, "Unsupported Media Type",
                            "JSON bodies are UTF-8 (got charset " + charset + ")");
                }
            }
        }
    }

    /** The request as the workflow reads it: the checked UTF-8 text, without a byte-order mark. */
    static final class CheckedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CheckedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public String getHeader(String name) {
            if ("content-length".equalsIgnoreCase(name)) {
                return Integer.toString(body.length);
            }
            if ("transfer-encoding".equalsIgnoreCase(name)) {
                return null;
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if ("content-length".equalsIgnoreCase(name)) {
                return Collections.enumeration(List.of(Integer.toString(body.length)));
            }
            if ("transfer-encoding".equalsIgnoreCase(name)) {
                return Collections.emptyEnumeration();
            }
            return super.getHeaders(name);
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            return new BufferedBodyStream(body);
        }
    }
}
