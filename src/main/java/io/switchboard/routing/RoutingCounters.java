package io.switchboard.routing;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The running success count and total of routing rule changes (the {@code successCount} and
 * {@code totalCount} of each audit record, docs/guarantees.md#audit), kept in the database ({@code routing_rule_counters}) so they survive restarts and are
 * shared by every instance. Nothing is held in memory: each attempt increments the row and reads it
 * back in one transaction, and the row lock of the UPDATE makes the numbers read back exactly this
 * attempt's, however many requests run at once. The gauges read the row on each scrape.
 */
@Component
public class RoutingCounters {

    /** The counts after an attempt. */
    public record Totals(long successCount, long totalCount) {
    }

    private static final String ROW = "rule-changes";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public RoutingCounters(JdbcClient jdbc, PlatformTransactionManager transactionManager, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // counters (…_total): the counts only ever grow; they are kept in the database so they survive restarts
        FunctionCounter.builder("switchboard.routing.rules.changes", this, counters -> counters.current().totalCount())
                .description("Routing rule creates and updates attempted, successful or not (since the database was created)")
                .register(meters);
        FunctionCounter.builder("switchboard.routing.rules.changes.successful", this,
                        counters -> counters.current().successCount())
                .description("Routing rule creates and updates that CXone stored")
                .register(meters);
    }

    /**
     * Counts one attempt and hands the new totals to {@code inSameTransaction} (the audit record),
     * which commits or rolls back together with the count.
     */
    public Totals count(boolean success, Consumer<Totals> inSameTransaction) {
        return transactions.execute(status -> {
            jdbc.sql("""
                    UPDATE routing_rule_counters
                       SET total_count = total_count + 1, success_count = success_count + :success
                     WHERE name = :row""")
                    .param("success", success ? 1 : 0)
                    .param("row", ROW)
                    .update();
            Totals totals = current();
            inSameTransaction.accept(totals);
            return totals;
        });
    }

    /** The counts now. */
    public Totals current() {
        return jdbc.sql("SELECT success_count, total_count FROM routing_rule_counters WHERE name = :row")
                .param("row", ROW)
                .query((rs, n) -> new Totals(rs.getLong("success_count"), rs.getLong("total_count")))
                .optional()
                .orElse(new Totals(0, 0));
    }
}
