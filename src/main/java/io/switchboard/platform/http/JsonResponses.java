package io.switchboard.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** Writes an API answer: the body as JSON with its status code ({@code bean:jsonResponses?method=ok}). */
@Component
public class JsonResponses {

    private final ObjectMapper json;

    public JsonResponses(ObjectMapper json) {
        this.json = json;
    }

    /** 200 with the current body as JSON. */
    public void ok(Exchange exchange) {
        respond(exchange, 200, exchange.getMessage().getBody());
    }

    /** 201 with the current body as JSON. */
    public void created(Exchange exchange) {
        respond(exchange, 201, exchange.getMessage().getBody());
    }

    /** 202 with the current body as JSON. */
    public void accepted(Exchange exchange) {
        respond(exchange, 202, exchange.getMessage().getBody());
    }

    public void respond(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        if (body instanceof org.apache.camel.StreamCache || body instanceof java.io.InputStream
                || body instanceof java.io.Reader || body instanceof byte[]) {
            body = message.getBody(String.class);
        }
        String correlationId = message.getHeader(ApiRequestFilter.CORRELATION_HEADER, String.class);
        message.removeHeaders("*");
        if (correlationId != null) {
            message.setHeader(ApiRequestFilter.CORRELATION_HEADER, correlationId);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(body instanceof String s ? s : json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
