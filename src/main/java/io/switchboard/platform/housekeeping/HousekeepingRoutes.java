package io.switchboard.platform.housekeeping;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Retention of the platform's own records.
 *
 * <pre>
 * timer (switchboard.housekeeping.period)   housekeeping-timer → housekeeping
 * direct:housekeeping                       housekeeping: delete audit items and dead letters past retention
 * </pre>
 */
@Component
public class HousekeepingRoutes extends RouteBuilder {

    private final RetentionProperties properties;

    public HousekeepingRoutes(RetentionProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        fromF("timer:switchboard-housekeeping?delay=%1$d&period=%1$d",
                Math.max(1000, properties.housekeeping().period().toMillis()))
                .routeId("housekeeping-timer")
                .to("direct:housekeeping");

        from("direct:housekeeping").routeId("housekeeping")
                .bean(Housekeeping.class, "purge");
    }
}
