package io.switchboard.platform.upstream;

import io.switchboard.platform.http.ProblemException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;

/**
 * One call to a platform, retries included: the only step of {@code direct:cxone} and {@code direct:genesys}
 * (see {@link Upstream} for how workflows use them).
 *
 * <pre>
 *   attempt   bearer token → request budget permit → HTTP (camel-http producer) → one repeat after a 401
 *   verdict   2xx: the answer;  429, 5xx, I/O error: wait as {@link UpstreamRetryPolicy} says, attempt again;
 *             anything else, or attempts used up: the failure, thrown to the caller as it is
 * </pre>
 * Every attempt takes its own budget permit and sends the request bytes afresh. The HTTP exchanges are
 * this class's own, so the caller's exchange carries no redelivery state or error-handler verdict of
 * ours: a failure reaches the caller as a plain exception for its own error handling (answer, redelivery
 * or dead letter). The caller's headers never go out; its message keeps them.
 */
public class UpstreamCall implements Processor {

    /** What one HTTP exchange brought back. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    /** HTTP requests sent for the call so far (the 401 repeat included). */
    private static final class Sends {
        int count;
    }

    private final UpstreamPlatform platform;
    private final UpstreamGateway gateway;
    private final UpstreamRetryPolicy policy;
    private final String httpUri;
    private volatile Producer http;

    /**
     * @param httpUri the camel-http endpoint the requests go through; the URL of each request is set
     *                per exchange, so the URI names only the platform and the options
     */
    public UpstreamCall(UpstreamPlatform platform, UpstreamGateway gateway, UpstreamRetryPolicy policy, String httpUri) {
        this.platform = platform;
        this.gateway = gateway;
        this.policy = policy;
        this.httpUri = httpUri;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message caller = exchange.getIn();
        UpstreamGateway.Request request = gateway.request(platform, caller);
        caller.removeHeaders("SwitchboardUpstream*");
        int maxAttempts = request.maxAttempts() != null ? request.maxAttempts() : policy.maxAttempts();
        Sends sends = new Sends();
        Answer answer;
        try {
            boolean httpCaller = isHttpCaller(exchange);
            answer = policy.retrying(maxAttempts, () -> attempt(exchange.getContext(), request, sends, httpCaller));
        } catch (UpstreamException | IOException failure) {
            caller.setHeader(Upstream.PLATFORM, platform.displayName());
            throw finalFailure(caller, failure, sends);
        }
        caller.setHeader(Upstream.PLATFORM, platform.displayName());
        caller.setHeader(Upstream.STATUS, answer.status());
        caller.setHeader(Upstream.RESPONSE_HEADERS, answer.headers());
        caller.setHeader(Upstream.ATTEMPTS, sends.count);
        caller.setBody(answer.body());
    }

    /** One attempt: send once; after a 401 drop the token and send once more with a fresh one. */
    private Answer attempt(CamelContext camel, UpstreamGateway.Request request, Sends sends, boolean httpCaller)
            throws Exception {
        for (int send = 1; ; send++) {
            String token = platform.tokens().token();
            Answer answer = send(camel, request, token, sends, httpCaller);
            if (answer.status() == 401 && send == 1) {
                platform.tokens().reject(token);
                continue;
            }
            gateway.verdict(platform, answer.status(), answer.headers(), answer.body());
            return answer;
        }
    }

    /** One HTTP request inside a budget permit, which is given back (for its window) however it ends. */
    private Answer send(CamelContext camel, UpstreamGateway.Request request, String token, Sends sends,
                        boolean httpCaller) throws Exception {
        Exchange httpExchange = producer(camel).getEndpoint().createExchange();
        Message out = httpExchange.getIn();
        out.setHeader(Exchange.HTTP_METHOD, request.method());
        out.setHeader(Exchange.HTTP_URI, request.url());
        out.setHeader("Authorization", "Bearer " + token);
        out.setHeader("Accept", "application/json");
        if (request.body() != null) {
            out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        request.extraHeaders().forEach(out::setHeader);
        out.setBody(request.body());
        takeBudgetPermit(httpCaller);
        try {
            sends.count++;
            producer(camel).process(httpExchange);
        } finally {
            platform.budget().release();
        }
        if (httpExchange.getException() != null) {
            throw httpExchange.getException();
        }
        Message answer = httpExchange.getMessage();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        answer.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("Camel") && value != null) {
                headers.put(name, value.toString());
            }
        });
        return new Answer(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), headers,
                answer.getBody(String.class));
    }

    /** An HTTP API caller (its exchange came from platform-http) cannot wait for long; queued work can. */
    private static boolean isHttpCaller(Exchange exchange) {
        Endpoint from = exchange.getFromEndpoint();
        return from != null && from.getEndpointUri().startsWith("platform-http:");
    }

    /**
     * Queued work waits its turn in the budget. An HTTP caller waits at most the platform's max-budget-wait: when
     * its turn is further off it is answered 429 with Retry-After at once, and no call is made for it later
     * (docs/decisions/0031-http-callers-and-the-request-budget.md).
     */
    private void takeBudgetPermit(boolean httpCaller) throws InterruptedException {
        RequestBudget budget = platform.budget();
        if (!httpCaller) {
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

    /** The call failed for good: describe it on the caller's message, whose body stays the caller's. */
    private static Exception finalFailure(Message caller, Exception failure, Sends sends) {
        if (failure instanceof UpstreamException upstream) {
            upstream.attempts(sends.count);
            caller.setHeader(Upstream.STATUS, upstream.status());
            caller.setHeader(Upstream.RESPONSE_HEADERS, upstream.responseHeaders());
        } else {
            caller.setHeader(Upstream.RESPONSE_HEADERS, Map.of());
        }
        caller.setHeader(Upstream.ATTEMPTS, sends.count);
        return failure;
    }

    /** The camel-http producer, created on first use and stopped with the Camel context. */
    private Producer producer(CamelContext camel) throws Exception {
        Producer producer = http;
        if (producer == null) {
            synchronized (this) {
                producer = http;
                if (producer == null) {
                    Endpoint endpoint = camel.getEndpoint(httpUri);
                    producer = endpoint.createProducer();
                    camel.addService(producer, true, true);
                    http = producer;
                }
            }
        }
        return producer;
    }
}
