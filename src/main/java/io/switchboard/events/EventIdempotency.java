package io.switchboard.events;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The idempotent repository of the event pipeline: Camel's {@link JdbcMessageIdRepository} on table
 * {@code event_idempotency_keys} (created by Flyway, V30), shared by every instance using the database.
 *
 * <p>Its insert is {@code ON CONFLICT DO NOTHING}: when two instances record the same event at once, the second
 * insert waits for the first transaction and then simply reports "already there", a duplicate, instead of
 * failing. The repository's own transaction template joins the record transaction (same data source), which
 * is what makes eager mode safe; see {@link EventRoutes}.
 */
@Configuration(proxyBeanMethods = false)
public class EventIdempotency {

    static final String PROCESSOR = "events";
    private static final String TABLE = "event_idempotency_keys";

    @Bean
    public JdbcMessageIdRepository eventIdempotentRepository(DataSource dataSource,
                                                             PlatformTransactionManager transactionManager) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource,
                new TransactionTemplate(transactionManager), PROCESSOR);
        repository.setCreateTableIfNotExists(false);
        repository.setTableExistsString("SELECT 1 FROM " + TABLE + " WHERE 1 = 0");
        repository.setQueryString("SELECT COUNT(*) FROM " + TABLE + " WHERE processor_name = ? AND message_id = ?");
        repository.setInsertString("INSERT INTO " + TABLE + " (processor_name, message_id, created_at)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
        repository.setDeleteString("DELETE FROM " + TABLE + " WHERE processor_name = ? AND message_id = ?");
        repository.setClearString("DELETE FROM " + TABLE + " WHERE processor_name = ?");
        return repository;
    }
}
