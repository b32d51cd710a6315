package io.switchboard.email;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.http.Problems;
import io.switchboard.platform.logging.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/email/smtp-test} (docs/api.md#post-apiemailsmtp-test): the dry-run tester (server required, port 25–1024,
 * TLS only on 465 or 587) answering {@code {valid, metadata:{payloadPreview, validationTime}}}, and
 * with {@code ?probe=true} a live session with the relay ({@link SmtpProbe}) under {@code probe}.
 */
@Component
public class SmtpTester {

    static final String REQUEST = "SwitchboardEmailSmtpTestRequest";
    private static final Pattern HOST = Pattern.compile(
            "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?$");

    private final ObjectMapper json;
    private final SmtpProbe probe;
    private final Problems problems;
    private final Clock clock;

    public SmtpTester(ObjectMapper json, SmtpProbe probe, Problems problems, Clock clock) {
        this.json = json;
        this.probe = probe;
        this.problems = problems;
        this.clock = clock;
    }

    /** Route step: the dry-run rules, all problems at once; the body becomes the dry-run answer. */
    public void dryRun(Exchange exchange) {
        SmtpTestRequest request = read(exchange.getIn().getBody(String.class));
        List<FieldError> errors = new ArrayList<>();
        String server = request.server() == null ? "" : request.server().trim();
        if (server.isEmpty()) {
            errors.add(new FieldError("server", "server endpoint is required"));
        } else if (server.length() > 253 || !HOST.matcher(server).matches()) {
            errors.add(new FieldError("server", "server must be a host name or IPv4 address, not a URL"));
        }
        if (request.portOrZero() < 25 || request.portOrZero() > 1024) {
            errors.add(new FieldError("port", "port must be between 25 and 1024"));
        }
        if (request.tls() && request.portOrZero() != 465 && request.portOrZero() != 587) {
            errors.add(new FieldError("tlsEnabled", "TLS requires port 465 or 587"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors).with("valid", false);
        }
        exchange.setProperty(REQUEST, request);
        Map<String, Object> metadata = new LinkedHashMap<>();
        Instant now = Instant.now(clock);
        metadata.put("payloadPreview", preview(request, now));
        metadata.put("validationTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("valid", true);
        answer.put("metadata", metadata);
        exchange.getIn().setBody(answer);
    }

    /** Route step ({@code ?probe=true}): a live session with the relay, reported under {@code probe}. */
    @SuppressWarnings("unchecked")
    public void probe(Exchange exchange) {
        SmtpTestRequest request = exchange.getProperty(REQUEST, SmtpTestRequest.class);
        Map<String, Object> answer = exchange.getIn().getBody(Map.class);
        answer.put("probe", probe.probe(request));
    }

    /** Route step on failure: a 400 of this endpoint also says {@code valid: false} (docs/api.md). */
    public void invalid(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = problems.toProblem(caught);
        if (problem.status() == 400 && !problem.extensions().containsKey("valid")) {
            problem.with("valid", false);
        }
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, problem);
    }

    /** The channel CXone would get from this relay ({@code payloadPreview}), its password masked. */
    private static Map<String, Object> preview(SmtpTestRequest request, Instant now) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("server", request.server().trim());
        smtp.put("port", request.portOrZero());
        smtp.put("username", request.username() == null ? "" : request.username());
        smtp.put("password", request.password() == null || request.password().isEmpty() ? "" : Secrets.MASK);
        smtp.put("tlsEnabled", request.tls());
        smtp.put("authMechanism", request.username() == null || request.username().isEmpty() ? "NONE" : "LOGIN");
        smtp.put("timeoutMs", EmailChannelPayload.DEFAULT_TIMEOUT_MS);
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("name", "test-channel-" + now.getEpochSecond());
        channel.put("type", "smtp");
        channel.put("smtpSettings", smtp);
        channel.put("isDefault", false);
        channel.put("maxRetryCount", 0);
        return channel;
    }

    private SmtpTestRequest read(String body) {
        try {
            return json.readValue(body, SmtpTestRequest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
