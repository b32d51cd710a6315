package io.switchboard.platform.housekeeping;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The sandbox's H2 file database (docs/decisions/0072-h2-durable-commits-compacted.md): every commit is written to
 * the file before it returns, and the file is compacted the way H2's background writer would.
 * <ul>
 *   <li>{@code WRITE_DELAY 0}: H2 otherwise writes commits up to half a second later, so a {@code kill -9} in that
 *       gap would forget events whose SQS messages are already deleted (PostgreSQL commits are durable anyway).</li>
 *   <li>With it every commit writes a chunk of its own, and H2 no longer runs its background writer, the only
 *       place it rewrites the live pages of sparse chunks. Each chunk that keeps one live page stays in the file
 *       and in the heap (about 240 bytes each): about one per recorded receive, without bound.
 *       {@link #compact} does that rewriting instead.</li>
 * </ul>
 * Nothing happens on PostgreSQL, an in-memory H2 or an H2 server reached over TCP.
 */
@Component
public class H2FileStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileStore.class);
    /**
     * Compaction runs while the chunks old enough to be rewritten hold less live data than this (percent), as H2's
     * own housekeeping does on a busy database; above it, rewriting would mostly move dense chunks around.
     */
    static final int REWRITE_BELOW_FILL_RATE = 80;
    /** Live data rewritten per run at most: more than a second's worth of recorded events. */
    static final int WRITE_LIMIT = 4 << 20;

    private final MVStore store;
    private final JdbcClient jdbc;

    public H2FileStore(DataSource dataSource) {
        this.store = embeddedFileStore(dataSource);
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Whether there is an H2 file for {@link #compact} to look after. */
    public boolean present() {
        return store != null;
    }

    /**
     * Route step, every second: when the chunks older than H2's retention time (45 s) are less than
     * {@link #REWRITE_BELOW_FILL_RATE} full, rewrites the live pages of the least filled ones into new chunks, at
     * most {@link #WRITE_LIMIT}; H2 drops the emptied chunks at a later commit. Answers whether it rewrote any.
     */
    public boolean compact() {
        if (store == null || store.isClosed() || rewritableFillRate() >= REWRITE_BELOW_FILL_RATE) {
            return false;
        }
        // H2's own fill-rate condition counts the recent chunks too, which cannot be rewritten yet: ours is above
        return store.compact(100, WRITE_LIMIT);
    }

    /** H2 publishes it only as a setting (its getter is not public). */
    private int rewritableFillRate() {
        return jdbc.sql("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")
                .param("info.CHUNKS_FILL_RATE_RW").query(Integer.class).optional().orElse(100);
    }

    private static MVStore embeddedFileStore(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return null;
            }
            try (var statement = connection.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
            }
            if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                    && session.getDatabase().isPersistent()) {
                LOG.info("H2 file database: every commit is written before it returns (WRITE_DELAY 0), and the file"
                        + " is compacted every second");
                return session.getDatabase().getStore().getMvStore();
            }
            return null;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not make H2 commits durable: " + e.getMessage(), e);
        }
    }
}
