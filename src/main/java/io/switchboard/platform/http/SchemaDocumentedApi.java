package io.switchboard.platform.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.platform.security.OpenApiRoles;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The producer of {@code /api/openapi.json}: Camel's own OpenAPI generator (camel-openapi-java), its document then
 * completed by {@link OpenApiSchemas} (request, answer and problem schemas) and {@link OpenApiRoles} (key schemes, each
 * operation's role). Camel uses the one {@link RestApiProcessorFactory} in its registry. Camel writes its document
 * once, when the route of {@code /api/openapi.json} starts, and serves that copy; each answer is completed here, so
 * nothing depends on what the REST model held at that moment.
 */
@Component
public class SchemaDocumentedApi implements RestApiProcessorFactory {

    private final RestApiProcessorFactory camel = new OpenApiRestApiProcessorFactory();
    private final OpenApiSchemas schemas;
    private final ObjectMapper json;

    public SchemaDocumentedApi(@Value("${switchboard.schemas-location}") String schemasLocation,
                               ResourceLoader resources, ObjectMapper json) {
        this.schemas = new OpenApiSchemas(resources, schemasLocation, json);
        this.json = json;
    }

    @Override
    public Processor createApiProcessor(CamelContext camelContext, String contextPath, RestConfiguration configuration,
                                        Map<String, Object> parameters) throws Exception {
        Processor generate = camel.createApiProcessor(camelContext, contextPath, configuration, parameters);
        CamelContextAware.trySetCamelContext(generate, camelContext);
        return new Completing(generate);
    }

    /** Camel's generator, its lifecycle passed on, followed by {@link #complete}. */
    private final class Completing extends ServiceSupport implements Processor {
        private final Processor generate;

        Completing(Processor generate) {
            this.generate = generate;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            generate.process(exchange);
            complete(exchange);
        }

        @Override
        protected void doInit() {
            ServiceHelper.initService(generate);
        }

        @Override
        protected void doStart() {
            ServiceHelper.startService(generate);
        }

        @Override
        protected void doStop() {
            ServiceHelper.stopService(generate);
        }
    }

    private void complete(Exchange exchange) throws IOException {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        byte[] document = exchange.getMessage().getBody(byte[].class);
        if (document != null && document.length > 0 && type.contains("json")) {
            ObjectNode root = (ObjectNode) json.readTree(document);
            // Camel names the address it binds (http://0.0.0.0); without servers, a client (Swagger UI's "Try it
            // out") calls the server it read the document from
            root.remove("servers");
            schemas.complete(root);
            OpenApiRoles.complete(root);
            exchange.getMessage().setBody(json.writeValueAsBytes(root));
        }
    }
}
