package io.switchboard.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.test.IntegrationTestBase;
import java.util.List;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/**
 * House rule: a {@code direct:} step either opts into a shared route configuration or declares its own
 * error handler. One that silently inherits Camel's default handler would mark its failures handled, and
 * the caller's problem+json answer, redelivery or dead-letter channel would never see them.
 */
class RouteErrorHandlingTest extends IntegrationTestBase {

    @Test
    void should_leave_no_direct_step_with_the_inherited_default_error_handler() {
        List<String> offenders = ((ModelCamelContext) camel).getRouteDefinitions().stream()
                .filter(route -> route.getInput().getEndpointUri().startsWith("direct:"))
                .filter(route -> route.getRouteConfigurationId() == null && route.getErrorHandlerFactory() == null)
                .map(RouteDefinition::getRouteId)
                .toList();
        assertThat(offenders).as("direct: routes without routeConfigurationId or errorHandler(...)").isEmpty();
    }
}
