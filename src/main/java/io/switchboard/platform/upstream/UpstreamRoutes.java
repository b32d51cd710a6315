package io.switchboard.platform.upstream;

import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code direct:cxone} and {@code direct:genesys}: every call Switchboard makes to a platform goes
 * through one of these (see {@link Upstream} for how to use them).
 *
 * <pre>
 *   {platform}          take the request, put the caller's headers aside, give them back at the end
 *   {platform}-retry    redelivers whole attempts (route configuration upstream-retry)
 *   {platform}-attempt  token → request budget → HTTP → one repeat after 401 → verdict
 * </pre>
 * Redelivery enters {@code -attempt} again from the top, so every retry waits for a budget permit
 * and re-reads the request body from the call, never from a consumed stream.
 */
@Component
public class UpstreamRoutes extends RouteBuilder {

    static final List<String> PLATFORMS = List.of("cxone", "genesys");

    @Override
    public void configure() {
        for (String platform : PLATFORMS) {
            from("direct:" + platform).routeId(platform + "-call")
                    .errorHandler(noErrorHandler())
                    .setProperty(UpstreamGateway.PLATFORM, constant(platform))
                    .bean(UpstreamGateway.class, "begin")
                    .doTry()
                        .to("direct:" + platform + "-retry")
                    .doCatch(Exception.class)
                        // rethrown as the caller's own failure, so its redelivery or dead-letter channel applies
                        .bean(UpstreamGateway.class, "rethrow")
                    .doFinally()
                        .bean(UpstreamGateway.class, "end")
                    .end();

            from("direct:" + platform + "-retry").routeId(platform + "-retry")
                    .routeConfigurationId(UpstreamRetryConfiguration.ID)
                    .to("direct:" + platform + "-attempt");

            from("direct:" + platform + "-attempt").routeId(platform + "-attempt")
                    .errorHandler(noErrorHandler())
                    .bean(UpstreamGateway.class, "startAttempt")
                    .loopDoWhile(method(UpstreamGateway.class, "shouldSend"))
                        .bean(UpstreamGateway.class, "prepare")
                        .doTry()
                            .to("http:" + platform + "?throwExceptionOnFailure=false").id(platform + "-http")
                        .doFinally()
                            .bean(UpstreamGateway.class, "release")
                        .end()
                    .end()
                    .bean(UpstreamGateway.class, "verdict");
        }
    }
}
