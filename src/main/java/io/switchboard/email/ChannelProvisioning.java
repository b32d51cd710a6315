package io.switchboard.email;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.audit.AuditLog;
import io.switchboard.platform.audit.AuditRecord;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.logging.Secrets;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of {@code POST /api/email/channels}: create the channel on CXone, run its connectivity test,
 * audit both, answer 201 {@code {channel, test}}. A test that fails, or cannot run at all, is reported
 * in the 201 body and audited as a failure: the channel exists either way.
 */
@Component
public class ChannelProvisioning {

    static final String WORKFLOW = "email";
    static final String REQUEST = "SwitchboardEmailChannelRequest";
    static final String CHANNEL = "SwitchboardEmailChannel";
    static final String TEST = "SwitchboardEmailChannelTest";
    private static final String REQUEST_TEXT = "SwitchboardEmailChannelRequestText";
    private static final String STARTED = "SwitchboardEmailChannelStarted";
    private static final String STEP_STARTED = "SwitchboardEmailChannelStepStarted";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelProvisioning.class);

    /** The channel as CXone answered it. */
    public record Channel(String id, String name, String status) {
    }

    /** The connectivity test as CXone answered it (SMTP status and error codes), or why it could not run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestResult(boolean success, Integer statusCode, List<String> errorCodes, Long latencyMs,
                             String message, Integer upstreamStatus) {
    }

    private final ObjectMapper json;
    private final AuditLog audit;
    private final Problems problems;

    public ChannelProvisioning(ObjectMapper json, AuditLog audit, Problems problems) {
        this.json = json;
        this.audit = audit;
        this.problems = problems;
    }

    /** Route step: remember the request as sent (for the audit of a request that turns out invalid). */
    public void start(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        exchange.setProperty(REQUEST_TEXT, exchange.getIn().getBody(String.class));
    }

    /** Route step: the validated body, with defaults for what the caller left out, becomes the create request. */
    public void createRequest(Exchange exchange) {
        EmailChannelPayload payload = read(exchange.getIn().getBody(String.class), EmailChannelPayload.class).withDefaults();
        exchange.setProperty(REQUEST, payload);
        exchange.setProperty(STEP_STARTED, System.nanoTime());
        exchange.getIn().setHeader(Upstream.METHOD, "POST");
        exchange.getIn().setHeader(Upstream.PATH, "/api/v1/email/channels");
        exchange.getIn().setBody(payload);
    }

    /** Route step: CXone created the channel; audit it at once, whatever the test says later. */
    public void channelCreated(Exchange exchange) {
        JsonNode body = JsonAnswers.upstreamObject(json, exchange.getIn(), "the email channel creation");
        String id = body.path("id").asText("");
        if (id.isBlank()) {
            throw ProblemException.badGateway("CXone answered " + exchange.getIn().getHeader(Upstream.STATUS)
                    + " to the channel creation without a channel id");
        }
        EmailChannelPayload request = exchange.getProperty(REQUEST, EmailChannelPayload.class);
        Channel channel = new Channel(id, body.path("name").asText(request.name()), body.path("status").asText(null));
        exchange.setProperty(CHANNEL, channel);
        audit.record(AuditRecord.of(exchange, WORKFLOW, "channel.create").target(id)
                .success(exchange.getIn().getHeader(Upstream.STATUS, Integer.class))
                .latencyMs(elapsedMs(exchange, STEP_STARTED)).payload(request));
        LOG.info("Email channel {} ({}) created on CXone", id, channel.name());
    }

    /** Route step: {@code POST /api/v1/email/channels/{id}/test}. */
    public void testRequest(Exchange exchange) {
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        exchange.setProperty(STEP_STARTED, System.nanoTime());
        exchange.getIn().setHeader(Upstream.METHOD, "POST");
        exchange.getIn().setHeader(Upstream.PATH, "/api/v1/email/channels/"
                + URLEncoder.encode(channel.id(), StandardCharsets.UTF_8).replace("+", "%20") + "/test");
        exchange.getIn().setBody(null);
    }

    /** Route step: CXone ran the test; its verdict, passed or failed, is what the caller gets. */
    public void testAnswered(Exchange exchange) {
        JsonNode body = JsonAnswers.upstreamObject(json, exchange.getIn(), "the email channel's connectivity test");
        List<String> errorCodes = new ArrayList<>();
        body.path("errorCodes").forEach(code -> errorCodes.add(code.asText()));
        boolean success = body.path("success").asBoolean(false);
        TestResult result = new TestResult(success,
                body.hasNonNull("statusCode") ? body.path("statusCode").asInt() : null,
                List.copyOf(errorCodes),
                body.hasNonNull("latencyMs") ? body.path("latencyMs").asLong() : null,
                body.path("message").asText(success ? "connectivity test passed" : "connectivity test failed"),
                null);
        exchange.setProperty(TEST, result);
    }

    /** Route step when the test call itself failed (after the shared retries): reported, not hidden. */
    public void testFailed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why;
        Integer upstreamStatus = null;
        if (failure instanceof UpstreamException upstream) {
            upstreamStatus = upstream.status();
            why = upstream.getMessage() + (upstream.attempts() > 1 ? " (after " + upstream.attempts() + " attempts)" : "");
        } else if (failure instanceof IOException) {
            why = "CXone could not be reached: " + failure.getMessage();
        } else {
            why = failure == null ? "unknown failure" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        exchange.setProperty(TEST, new TestResult(false, null, List.of(), null,
                "The connectivity test could not run: " + Secrets.mask(why), upstreamStatus));
    }

    /** Route step: audit the test and answer {@code {channel, test}}. */
    public Map<String, Object> created(Exchange exchange) {
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        TestResult test = exchange.getProperty(TEST, TestResult.class);
        AuditRecord record = AuditRecord.of(exchange, WORKFLOW, "channel.test").target(channel.id())
                .latencyMs(elapsedMs(exchange, STEP_STARTED)).payload(test);
        if (test.success()) {
            record.success(200);
        } else {
            record.failure(test.upstreamStatus() != null ? test.upstreamStatus() : 200,
                    "connectivity test failed: " + test.message()
                            + (test.errorCodes().isEmpty() ? "" : " (SMTP " + String.join(", ", test.errorCodes()) + ")"));
            LOG.warn("Email channel {} created, but its connectivity test failed: {} {}", channel.id(),
                    test.errorCodes(), test.message());
        }
        audit.record(record);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("channel", channel);
        answer.put("test", test);
        return answer;
    }

    /**
     * Route step when provisioning failed (invalid body, 409, CXone down ...): audit the attempt with the
     * answer the caller gets, and leave that answer for {@link Problems#answer}.
     */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = problems.toProblem(failure);
        Channel channel = exchange.getProperty(CHANNEL, Channel.class);
        Object payload = exchange.getProperty(REQUEST) != null ? exchange.getProperty(REQUEST)
                : exchange.getProperty(REQUEST_TEXT);
        audit.record(AuditRecord.of(exchange, WORKFLOW, channel == null ? "channel.create" : "channel.test")
                .target(channel != null ? channel.id() : null)
                .failure(problem.status(), problem.detail())
                .latencyMs(elapsedMs(exchange, STARTED))
                .payload(payload));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, problem);
    }

    private static long elapsedMs(Exchange exchange, String property) {
        Long started = exchange.getProperty(property, Long.class);
        return started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
