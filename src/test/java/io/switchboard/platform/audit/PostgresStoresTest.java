package io.switchboard.platform.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The stores on PostgreSQL, as in production. Runs when {@code -Dswitchboard.test.postgres-url} names a
 * database (CI sets it to this machine's PostgreSQL); otherwise skipped, saying so. Each run migrates
 * its own schema and drops it afterwards, so runs never see each other's rows.
 */
@DirtiesContext
class PostgresStoresTest extends StoresContract {

    static final String URL = System.getProperty("switchboard.test.postgres-url", "");
    static final String SCHEMA = "switchboard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void requirePostgres() {
        Assumptions.assumeFalse(URL.isBlank(),
                "PostgreSQL not configured: set -Dswitchboard.test.postgres-url=jdbc:postgresql://host:5432/db to run these tests");
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> System.getProperty("switchboard.test.postgres-user", "postgres"));
        registry.add("spring.datasource.password", () -> System.getProperty("switchboard.test.postgres-password", ""));
        registry.add("spring.flyway.schemas", () -> SCHEMA);
        registry.add("spring.flyway.create-schemas", () -> "true");
    }

    static CamelContext routes;

    @Autowired
    void routes(CamelContext context) {
        routes = context;
    }

    /** Once Camel is stopped (the event readers poll the tables until then): the schema goes. */
    @AfterAll
    static void dropSchema() throws Exception {
        if (URL.isBlank()) {
            return;
        }
        if (routes != null) {
            routes.stop(); // the context closes after this method (DirtiesContext)
        }
        try (Connection connection = DriverManager.getConnection(URL,
                System.getProperty("switchboard.test.postgres-user", "postgres"),
                System.getProperty("switchboard.test.postgres-password", ""))) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }
}
