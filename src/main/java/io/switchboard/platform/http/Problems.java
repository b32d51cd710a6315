package io.switchboard.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import io.switchboard.platform.logging.Secrets;
import io.switchboard.platform.upstream.UnreadableAnswerException;
import io.switchboard.platform.upstream.UpstreamException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Turns every failure of an API request into an {@code application/problem+json} answer (RFC 9457).
 * Bad input is a 4xx naming the field; an upstream that fails is a 502/503 with the upstream's own
 * message; an upstream answer Switchboard cannot read ({@link UnreadableAnswerException}) is a 502, told apart
 * from a caller's malformed body by its type; a database that is unavailable is a 503; anything unexpected is a
 * 500 that points to the log line, never a stack trace.
 */
@Component
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    /** Route step: answer the exception caught on this exchange as a problem. */
    public void answer(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = toProblem(failure);
        exchange.getMessage().removeHeaders("*", "X-Correlation-ID");
        problem.headers().forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, MEDIA_TYPE);
        exchange.getMessage().setBody(write(problem));
    }

    public String write(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", Secrets.mask(problem.detail()));
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        body.putAll(problem.extensions());
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"title\":\"Internal Server Error\",\"status\":500}";
        }
    }

    public ProblemException toProblem(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof ProblemException problem) {
                return problem;
            }
            if (cause instanceof UnreadableAnswerException unreadable) {
                return fromUnreadableAnswer(unreadable);
            }
            if (cause instanceof JsonValidationException invalid) {
                return fromSchemaErrors(invalid);
            }
            if (isClientJsonError(cause)) {
                return malformedJson((JsonProcessingException) cause);
            }
            if (cause instanceof UpstreamException upstream) {
                return fromUpstream(upstream);
            }
            if (isDatabaseUnreachable(cause)) {
                String reference = UUID.randomUUID().toString();
                LOG.error("Database unavailable (reference {})", reference, failure);
                return new ProblemException(503, "Service Unavailable", "Switchboard's database is unavailable or busy; "
                        + "try again later (the server log has the details under reference " + reference + ")")
                        .with("reference", reference);
            }
            if (isOwnFault(cause)) {
                break; // Switchboard's database or its JSON writing failed: an I/O error below it is not a platform's
            }
            if (cause instanceof IOException io) {
                return new ProblemException(502, "Bad Gateway", "The platform could not be reached: " + io.getMessage());
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        String reference = UUID.randomUUID().toString();
        LOG.error("Unexpected failure (reference {})", reference, failure);
        return new ProblemException(500, "Internal Server Error",
                "Switchboard failed unexpectedly; the server log has the details under reference " + reference)
                .with("reference", reference);
    }

    /** No connection to the database (pool exhausted or the server gone): the caller may try again, 503. */
    private static boolean isDatabaseUnreachable(Throwable cause) {
        return cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                || cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException;
    }

    /** A failure of Switchboard's own store or JSON writing, whatever it wraps (never a platform that is down). */
    private static boolean isOwnFault(Throwable cause) {
        return cause instanceof DataAccessException || cause instanceof SQLException
                || cause instanceof JsonProcessingException;
    }

    private ProblemException fromSchemaErrors(JsonValidationException invalid) {
        if (invalid.getErrors() == null || invalid.getErrors().isEmpty()) {
            Throwable cause = invalid.getCause();
            if (isClientJsonError(cause)) {
                return malformedJson((JsonProcessingException) cause);
            }
            return new ProblemException(400, "Invalid request", "The body is not a JSON document");
        }
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage message : invalid.getErrors()) {
            errors.add(fieldError(message));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return ProblemException.validation(errors);
    }

    static FieldError fieldError(ValidationMessage message) {
        String path = message.getInstanceLocation() == null ? "$" : message.getInstanceLocation().toString();
        String field = path.equals("$") ? "" : path.startsWith("$.") ? path.substring(2) : path.substring(1);
        if (("required".equals(message.getType()) || "additionalProperties".equals(message.getType()))
                && message.getProperty() != null) {
            field = field.isEmpty() ? message.getProperty() : field + "." + message.getProperty();
        }
        String text = message.getError() != null ? message.getError() : message.getMessage();
        return new FieldError(field.isEmpty() ? "(body)" : field, text);
    }

    /** Unreadable input (syntax, or a value of the wrong shape), as opposed to Switchboard failing to write JSON. */
    private static boolean isClientJsonError(Throwable cause) {
        return cause instanceof com.fasterxml.jackson.core.JsonParseException
                || cause instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException;
    }

    private ProblemException malformedJson(JsonProcessingException malformed) {
        String where = malformed.getLocation() == null ? ""
                : " at line " + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr();
        return new ProblemException(400, "Malformed JSON", "The body is not valid JSON" + where + ": "
                + malformed.getOriginalMessage())
                .with("errors", List.of(new FieldError("(body)", "not valid JSON" + where)));
    }

    /** The platform answered, but not something Switchboard can read: the platform's fault, whatever its status. */
    private static ProblemException fromUnreadableAnswer(UnreadableAnswerException unreadable) {
        return new ProblemException(502, "Bad Gateway", "The platform answered something Switchboard could not read: "
                + unreadable.getMessage())
                .with("platform", unreadable.platform())
                .with("upstreamStatus", unreadable.status());
    }

    private ProblemException fromUpstream(UpstreamException upstream) {
        int status = upstream.status();
        String attempts = upstream.attempts() > 1 ? " (after " + upstream.attempts() + " attempts)" : "";
        ProblemException problem;
        if (status == 429 || status >= 500) {
            problem = new ProblemException(status == 429 || status == 503 ? 503 : 502,
                    status == 429 ? "Upstream rate limit" : "Bad Gateway", upstream.getMessage() + attempts);
            if (upstream.retryAfter() != null) {
                problem.withHeader("Retry-After", Long.toString(upstream.retryAfter().toSeconds()));
            }
        } else if (status == 403) {
            String missing = upstream.missingPermission();
            problem = new ProblemException(502, "Missing platform permission", upstream.getMessage() + " ("
                    + upstream.platform() + " refused Switchboard's client: "
                    + (missing == null ? "it did not say which scope or permission is missing" : "it reports the "
                    + missing + " missing") + "; grant it to the client, the call was not retried)");
            if (missing != null) {
                problem.with("missingPermission", missing);
            }
        } else if (status == 401 || status == 407) {
            problem = new ProblemException(502, "Bad Gateway", upstream.getMessage()
                    + " (Switchboard's credentials for " + upstream.platform() + " were refused)");
        } else if (status >= 400) {
            problem = new ProblemException(status, "Rejected by " + upstream.platform(), upstream.getMessage());
        } else {
            problem = new ProblemException(502, "Bad Gateway", upstream.getMessage());
        }
        return problem.with("upstreamStatus", status);
    }
}
