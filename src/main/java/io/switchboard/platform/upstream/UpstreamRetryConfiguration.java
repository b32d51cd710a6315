package io.switchboard.platform.upstream;

import java.io.IOException;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Redelivery of upstream calls, shared by both platforms: 429, 5xx and I/O errors are retried with
 * exponential backoff and full jitter, or after the upstream's Retry-After, as
 * {@link UpstreamRetryPolicy} decides; what is still failing afterwards propagates to the workflow.
 */
@Component
public class UpstreamRetryConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "upstream-retry";

    private final UpstreamRetryPolicy policy;

    public UpstreamRetryConfiguration(UpstreamRetryPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(UpstreamException.class, IOException.class)
                    .retryWhile(method(policy, "shouldRetry"))
                    .onExceptionOccurred(policy::chooseDelay)
                    .logRetryAttempted(false)
                    .logExhausted(false)
                    .logStackTrace(false)
                    .handled(false);
    }
}
