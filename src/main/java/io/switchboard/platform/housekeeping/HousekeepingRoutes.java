package io.switchboard.platform.housekeeping;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Retention of the platform's own records, and the upkeep of the sandbox's H2 file.
 *
 * <pre>
 * timer (switchboard.housekeeping.period)   housekeeping-timer → housekeeping
 * direct:housekeeping                       housekeeping: delete audit items and dead letters past retention
 * timer (1 s; an H2 file database only)     h2-compaction: H2FileStore.compact
 * </pre>
 */
@Component
public class HousekeepingRoutes extends RouteBuilder {

    private final RetentionProperties properties;
    private final H2FileStore h2;

    public HousekeepingRoutes(RetentionProperties properties, H2FileStore h2) {
        this.properties = properties;
        this.h2 = h2;
    }

    @Override
    public void configure() {
        fromF("timer:switchboard-housekeeping?delay=%1$d&period=%1$d",
                Math.max(1000, properties.housekeeping().period().toMillis()))
                .routeId("housekeeping-timer")
                .to("direct:housekeeping");

        from("direct:housekeeping").routeId("housekeeping")
                .bean(Housekeeping.class, "purge");

        if (h2.present()) {
            from("timer:h2-compaction?delay=1000&period=1000").routeId("h2-compaction")
                    .bean(H2FileStore.class, "compact");
        }
    }
}
