package io.switchboard.platform.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The sandbox's H2 file: durable commits, and a chunk count that compaction keeps from growing without bound. */
class H2FileStoreTest {

    @TempDir
    Path dir;
    /** Kept open between connections, as a pool would keep them: shut down after each test. */
    private final List<JdbcDataSource> opened = new ArrayList<>();

    @AfterEach
    void shutDown() {
        opened.forEach(database -> JdbcClient.create(database).sql("SHUTDOWN").update());
    }

    @Test
    void should_write_every_commit_before_it_returns() {
        JdbcDataSource file = h2("jdbc:h2:file:" + dir.resolve("durable"));

        H2FileStore store = new H2FileStore(file);

        assertThat(store.present()).isTrue();
        assertThat(setting(JdbcClient.create(file), "WRITE_DELAY")).isEqualTo(0);
    }

    @Test
    void should_rewrite_the_sparse_chunks_that_one_commit_each_leaves_behind() throws SQLException {
        JdbcDataSource file = h2("jdbc:h2:file:" + dir.resolve("events"));
        H2FileStore store = new H2FileStore(file);
        JdbcClient jdbc = JdbcClient.create(file);
        // production keeps H2's 45 s before a chunk may be rewritten or dropped; here at once
        jdbc.sql("SET RETENTION_TIME 0").update();
        jdbc.sql("CREATE TABLE recorded (pk BIGINT AUTO_INCREMENT PRIMARY KEY, envelope VARCHAR(1000))").update();
        try (Connection connection = file.getConnection()) {
            connection.setAutoCommit(false);
            // like the event recorder: one small transaction per receive, appended in key order
            for (int receive = 0; receive < 2_000; receive++) {
                try (var insert = connection.prepareStatement("INSERT INTO recorded (envelope) VALUES (?)")) {
                    for (int event = 0; event < 10; event++) {
                        insert.setString(1, "x".repeat(500));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            }
        }
        long before = setting(jdbc, "info.CHUNK_COUNT");

        for (int run = 0; run < 100 && store.compact(); run++) {
            jdbc.sql("INSERT INTO recorded (envelope) VALUES ('a commit, at which H2 drops the emptied chunks')")
                    .update();
        }
        jdbc.sql("INSERT INTO recorded (envelope) VALUES ('and one more')").update();

        assertThat(before).as("one chunk per commit, each kept by its live page").isGreaterThan(1_000);
        assertThat(setting(jdbc, "info.CHUNK_COUNT")).isLessThan(before / 10);
        assertThat(setting(jdbc, "info.CHUNKS_FILL_RATE_RW")).isGreaterThanOrEqualTo(H2FileStore.REWRITE_BELOW_FILL_RATE);
        assertThat(store.compact()).as("dense now: nothing worth rewriting").isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM recorded").query(Long.class).single()).isGreaterThan(20_000);
    }

    @Test
    void should_leave_an_in_memory_database_alone() {
        H2FileStore store = new H2FileStore(h2("jdbc:h2:mem:" + dir.getFileName()));

        assertThat(store.present()).isFalse();
        assertThat(store.compact()).isFalse();
    }

    private JdbcDataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        opened.add(dataSource);
        return dataSource;
    }

    private static long setting(JdbcClient jdbc, String name) {
        // H2 lists WRITE_DELAY twice, both with the same value
        return jdbc.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?").param(name)
                .query(Long.class).list().get(0);
    }
}
