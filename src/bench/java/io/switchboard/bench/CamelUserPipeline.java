package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * <b>N1</b>: what a Camel user writes from the documentation for the same job, without Switchboard:
 * <pre>
 * from("aws2-sqs://queue?...")                             // deleteAfterRead (the default): deleted once processed
 *   .idempotentConsumer(header("X-Event-Id"), jdbcRepository)   // JdbcMessageIdRepository on the same database
 *   .multicast().parallelProcessing()
 *     .to(analytics, crm, dashboard)                          // camel-http POSTs
 * </pre>
 * The consumer gets the same settings as Switchboard's (consumer threads, 10 per poll, the long-polling wait,
 * {@code greedy}); the repository's table is the one the Camel SQL documentation gives, with its key, on a pooled
 * data source (HikariCP, as Spring Boot would give it).
 */
final class CamelUserPipeline implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel = new DefaultCamelContext();
    private final HikariDataSource dataSource;

    CamelUserPipeline(String endpoint, String queueName, int consumers, int waitSeconds, List<String> sinkUrls,
                      BenchDatabase.Target database) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(consumers + 2);
        this.dataSource = new HikariDataSource(pool);
        try (Connection db = dataSource.getConnection()) {
            db.createStatement().execute("CREATE TABLE IF NOT EXISTS CAMEL_MESSAGEPROCESSED (processorName VARCHAR(255) "
                    + "NOT NULL, messageId VARCHAR(100) NOT NULL, createdAt TIMESTAMP, PRIMARY KEY (processorName, messageId))");
        }
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "n1");
        repository.setCreateTableIfNotExists(false);
        String from = "aws2-sqs://" + queueName + "?overrideEndpoint=true&uriEndpointOverride=" + endpoint
                + "&region=us-east-1&accessKey=RAW(" + SqsServer.ACCESS_KEY + ")&secretKey=RAW(" + SqsServer.ACCESS_KEY
                + ")&concurrentConsumers=" + consumers + "&maxMessagesPerPoll=10&waitTimeSeconds=" + waitSeconds
                + "&greedy=true";
        String[] sinks = sinkUrls.toArray(String[]::new);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId("n1")
                        .process(CamelUserPipeline::eventHeaders)
                        .idempotentConsumer(header("X-Event-Id"), repository)
                        .multicast().parallelProcessing()
                            .to(sinks)
                        .end();
            }
        });
    }

    /** The headers the sinks expect, from the envelope. */
    static void eventHeaders(Exchange exchange) throws java.io.IOException {
        JsonNode event = JSON.readTree(exchange.getIn().getBody(String.class));
        exchange.getIn().setHeader("X-Event-Id", event.path("id").asText());
        exchange.getIn().setHeader("X-Interaction-Id", event.path("detail").path("interaction.id").asText());
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
    }

    CamelUserPipeline start() {
        camel.start();
        return this;
    }

    @Override
    public void close() throws Exception {
        camel.close();
        dataSource.close();
    }
}
