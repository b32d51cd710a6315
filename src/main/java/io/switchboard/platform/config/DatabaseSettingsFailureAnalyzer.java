package io.switchboard.platform.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link DatabaseSettings.UnsupportedDatabaseException} into one line naming the key and what it needs. */
public class DatabaseSettingsFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseSettings.UnsupportedDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, DatabaseSettings.UnsupportedDatabaseException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set spring.datasource.url (SPRING_DATASOURCE_URL) to a PostgreSQL or H2 URL, then start again.", cause);
    }
}
