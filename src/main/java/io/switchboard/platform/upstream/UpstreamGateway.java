package io.switchboard.platform.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.switchboard.platform.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of one upstream call, as the {@code direct:cxone} / {@code direct:genesys} routes run them
 * (see {@link UpstreamRoutes}): {@link #begin} takes the caller's instructions and puts its headers
 * aside, {@link #prepare} readies each HTTP request (token, budget, URL, body), {@link #shouldSend}
 * decides on the one repeat after a 401, {@link #verdict} turns the answer into a result or an
 * {@link UpstreamException}, and {@link #end} gives the caller its headers back.
 */
public class UpstreamGateway {

    static final String PLATFORM = "SwitchboardUpstreamPlatform";
    private static final String CALL = "SwitchboardUpstreamCall";
    private static final String PERMIT = "SwitchboardUpstreamPermit";

    /** One call's request and progress, kept in an exchange property across attempts. */
    static final class Call {
        UpstreamPlatform platform;
        String method;
        String url;
        byte[] body;
        Map<String, String> extraHeaders = Map.of();
        Map<String, Object> callerHeaders;
        Object callerBody;
        boolean failed;
        int attempts;
        int sendsThisAttempt;
        String token;
        int status;
        Map<String, String> responseHeaders = Map.of();
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

    public void begin(Exchange exchange) {
        // a failure the caller caught earlier must not stop this call's retries
        clearFailureMarks(exchange);
        Message in = exchange.getIn();
        Call call = new Call();
        call.platform = platform(exchange.getProperty(PLATFORM, String.class));
        String path = in.getHeader(Upstream.PATH, String.class);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("header " + Upstream.PATH + " is required for an upstream call");
        }
        call.url = resolve(call.platform.settings().getBaseUrl(), path);
        call.callerBody = in.getBody();
        call.body = bodyBytes(call.callerBody);
        String method = in.getHeader(Upstream.METHOD, String.class);
        call.method = method != null ? method.toUpperCase() : (call.body != null ? "POST" : "GET");
        @SuppressWarnings("unchecked")
        Map<String, String> extra = in.getHeader(Upstream.REQUEST_HEADERS, Map.class);
        if (extra != null) {
            call.extraHeaders = Map.copyOf(extra);
        }
        Integer maxAttempts = in.getHeader(Upstream.MAX_ATTEMPTS, Integer.class);
        if (maxAttempts != null) {
            exchange.setProperty(Upstream.MAX_ATTEMPTS, maxAttempts);
        }
        Map<String, Object> callerHeaders = new HashMap<>(in.getHeaders());
        callerHeaders.keySet().removeIf(name -> name.startsWith("SwitchboardUpstream"));
        call.callerHeaders = callerHeaders;
        exchange.setProperty(CALL, call);
        in.removeHeaders("*");
    }

    public void startAttempt(Exchange exchange) {
        call(exchange).sendsThisAttempt = 0;
    }

    /** Send once; send once more after a 401 with a freshly fetched token. */
    public boolean shouldSend(Exchange exchange) {
        Call call = call(exchange);
        if (call.sendsThisAttempt == 0) {
            return true;
        }
        Integer status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (call.sendsThisAttempt == 1 && status != null && status == 401) {
            call.platform.tokens().reject(call.token);
            return true;
        }
        return false;
    }

    public void prepare(Exchange exchange) throws IOException, InterruptedException {
        Call call = call(exchange);
        call.token = call.platform.tokens().token();
        takeBudgetPermit(exchange, call.platform);
        exchange.setProperty(PERMIT, Boolean.TRUE);
        call.attempts++;
        call.sendsThisAttempt++;
        Message in = exchange.getIn();
        // nothing of the caller's or of the last answer goes out; Camel's redelivery counter must stay
        in.removeHeaders("*", "CamelRedelivery*", "CamelRedelivered");
        in.setHeader(Exchange.HTTP_METHOD, call.method);
        in.setHeader(Exchange.HTTP_URI, call.url);
        in.setHeader("Authorization", "Bearer " + call.token);
        in.setHeader("Accept", "application/json");
        if (call.body != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        call.extraHeaders.forEach(in::setHeader);
        in.setBody(call.body);
    }

    /**
     * Queued work waits its turn in the budget. An HTTP caller waits at most the platform's max-budget-wait: when
     * its turn is further off it is answered 429 with Retry-After at once, and no call is made for it later.
     */
    private static void takeBudgetPermit(Exchange exchange, UpstreamPlatform platform) throws InterruptedException {
        RequestBudget budget = platform.budget();
        Endpoint from = exchange.getFromEndpoint();
        if (from == null || !from.getEndpointUri().startsWith("platform-http:")) {
            budget.acquire();
            return;
        }
        Duration later = budget.tryAcquire(platform.settings().getMaxBudgetWait());
        if (later != null) {
            long seconds = Math.max(1, (later.toMillis() + 999) / 1000);
            String per = budget.window().equals(Duration.ofMinutes(1)) ? "min" : budget.window().toSeconds() + " s";
            throw new ProblemException(429, "Too Many Requests", platform.displayName() + " budget of "
                    + budget.limit() + " calls/" + per + " in use; retry after " + seconds + " s")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
    }

    /** The request that held a budget permit is over (answered or failed). */
    public void release(Exchange exchange) {
        if (exchange.removeProperty(PERMIT) != null) {
            call(exchange).platform.budget().release();
        }
    }

    public void verdict(Exchange exchange) {
        Call call = call(exchange);
        Message in = exchange.getIn();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        in.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && value != null) {
                headers.put(name, value.toString());
            }
        });
        String body = in.getBody(String.class);
        call.status = status;
        call.responseHeaders = headers;
        meters.counter("switchboard.upstream.responses", "platform", call.platform.id(),
                "status", Integer.toString(status)).increment();
        in.setBody(body);
        if (status < 200 || status > 299) {
            throw new UpstreamException(call.platform.displayName(), status,
                    call.platform.displayName() + " answered " + status + upstreamMessage(body),
                    body, headers, UpstreamRetryPolicy.parseRetryAfter(headers.get("Retry-After"), clock));
        }
    }

    /** Restore the caller's headers (and on failure its body) and describe the call; runs in every case. */
    public void end(Exchange exchange) {
        Call call = (Call) exchange.removeProperty(CALL);
        exchange.removeProperty(Upstream.MAX_ATTEMPTS);
        if (call == null) {
            return;
        }
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeaders(call.callerHeaders);
        in.setHeader(Upstream.STATUS, call.status == 0 ? null : call.status);
        in.setHeader(Upstream.RESPONSE_HEADERS, call.responseHeaders);
        in.setHeader(Upstream.ATTEMPTS, call.attempts);
        if (call.failed) {
            // a failed call leaves the caller's message as it was (the answer is in the exception)
            in.setBody(call.callerBody);
            if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof UpstreamException upstream) {
                upstream.attempts(call.attempts);
            }
        }
    }

    /**
     * The call failed for good. Its retries were its own: rethrowing from the catch block hands the
     * caller a fresh failure for its own error handling (redelivery policy, dead-letter channel), not one
     * Camel already considers exhausted.
     */
    public void rethrow(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Call call = exchange.getProperty(CALL, Call.class);
        if (call != null) {
            call.failed = true;
        }
        clearFailureMarks(exchange);
        if (failure instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException("upstream call failed", failure);
    }

    /**
     * Camel marks an exchange whose error handler gave up ("failure handled", "exhausted", "not handled");
     * left set, a later error handler on the same exchange would neither retry nor answer it.
     */
    static void clearFailureMarks(Exchange exchange) {
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.removeProperty(org.apache.camel.ExchangePropertyKey.UNIT_OF_WORK_EXHAUSTED);
    }

    private Call call(Exchange exchange) {
        Call call = exchange.getProperty(CALL, Call.class);
        if (call == null) {
            throw new IllegalStateException("no upstream call in progress on this exchange");
        }
        return call;
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
        try {
            JsonNode node = json.readTree(body);
            for (String field : new String[] {"message", "error_description", "detail", "title", "error"}) {
                JsonNode value = node.path(field);
                if (value.isTextual() && !value.asText().isBlank()) {
                    return ": " + value.asText();
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through to the raw text
        }
        String text = body.strip();
        return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
}
