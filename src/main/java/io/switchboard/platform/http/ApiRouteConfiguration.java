package io.switchboard.platform.http;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of every HTTP-triggered workflow: the route a REST endpoint calls opts in with
 * {@code .routeConfigurationId(ApiRouteConfiguration.ID)} and any failure below it is answered as
 * problem+json by {@link Problems}. Sub-routes do not opt in and declare
 * {@code errorHandler(noErrorHandler())}, so their failures reach this handler untouched (Camel's default
 * handler would mark them handled, and this configuration would never answer them).
 */
@Component
public class ApiRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "api";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                    .handled(true)
                    .logExhausted(false)
                    .bean(Problems.class, "answer");
    }
}
