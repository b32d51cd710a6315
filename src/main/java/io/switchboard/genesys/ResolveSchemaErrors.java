package io.switchboard.genesys;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.switchboard.platform.http.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ValidationException;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.component.jsonvalidator.JsonValidatorErrorHandler;
import org.springframework.stereotype.Component;

/**
 * Error handler of the resolve request's JSON Schema step: instead of failing at once, it keeps the
 * schema's findings on the exchange so {@link ResolveRequests} can answer them together with the URI rules
 * a schema cannot state (one 400 naming every problem). A body that is not JSON still fails at once.
 */
@Component(ResolveSchemaErrors.BEAN)
public class ResolveSchemaErrors implements JsonValidatorErrorHandler {

    static final String BEAN = "genesysResolveSchemaErrors";

    @Override
    public void handleErrors(Exchange exchange, JsonSchema schema, Set<ValidationMessage> errors) {
        List<FieldError> found = new ArrayList<>();
        for (ValidationMessage message : errors) {
            found.add(fieldError(message));
        }
        exchange.setProperty(ResolveExchange.SCHEMA_ERRORS, found);
    }

    @Override
    public void handleErrors(Exchange exchange, JsonSchema schema, Exception failure) throws ValidationException {
        throw new JsonValidationException(exchange, schema, failure);
    }

    /** The field a schema message is about, named as the platform's problem answers name them. */
    static FieldError fieldError(ValidationMessage message) {
        String path = message.getInstanceLocation() == null ? "$" : message.getInstanceLocation().toString();
        String field = path.equals("$") ? "" : path.startsWith("$.") ? path.substring(2) : path.substring(1);
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            field = field.isEmpty() ? message.getProperty() : field + "." + message.getProperty();
        }
        String text = message.getError() != null ? message.getError() : message.getMessage();
        if ("pattern".equals(message.getType())) {
            text = "must use HTTPS (an https:// URI)"; // the schema's only pattern is the HTTPS rule
        }
        return new FieldError(field.isEmpty() ? "(body)" : field, text);
    }
}
