package io.switchboard.platform.upstream;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code direct:cxone} and {@code direct:genesys}: every call Switchboard makes to a platform goes
 * through one of these (see {@link Upstream} for how to use them).
 *
 * <pre>
 *   {platform}-call   token → request budget → HTTP → one repeat after 401 → verdict, retried as
 *                     {@link UpstreamRetryPolicy} says ({@link UpstreamCall})
 * </pre>
 * The route has no error handler: the retries are the call's own loop, and what still fails reaches the
 * calling route as a plain exception, for its own error handling. docs/architecture.md draws the layer.
 */
@Component
public class UpstreamRoutes extends RouteBuilder {

    static final List<String> PLATFORMS = List.of("cxone", "genesys");

    private final UpstreamGateway gateway;
    private final UpstreamRetryPolicy policy;

    public UpstreamRoutes(UpstreamGateway gateway, UpstreamRetryPolicy policy) {
        this.gateway = gateway;
        this.policy = policy;
    }

    @Override
    public void configure() {
        for (String platform : PLATFORMS) {
            // copyHeaders=false: the answer carries the platform's response headers only, never the request's
            String http = "http:" + platform + "?throwExceptionOnFailure=false&copyHeaders=false";
            from("direct:" + platform).routeId(platform + "-call")
                    .errorHandler(noErrorHandler())
                    .process(new UpstreamCall(gateway.platform(platform), gateway, policy, http)).id(platform + "-http");
        }
    }
}
