package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

/** Which spring.datasource.url Switchboard accepts, completes or refuses (no Spring context needed). */
class DatabaseSettingsTest {

    @Test
    void should_add_the_settings_switchboard_needs_to_any_h2_url() {
        assertThat(DatabaseSettings.effectiveUrl("jdbc:h2:file:./data/switchboard-live"))
                .isEqualTo("jdbc:h2:file:./data/switchboard-live;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                        + ";DB_CLOSE_ON_EXIT=FALSE");
        assertThat(DatabaseSettings.effectiveUrl("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;mode=postgresql"))
                .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;mode=postgresql;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                        + ";DB_CLOSE_ON_EXIT=FALSE");
        String complete = "jdbc:h2:file:./data/switchboard;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_ON_EXIT=FALSE";
        assertThat(DatabaseSettings.effectiveUrl(complete)).isEqualTo(complete);
        assertThat(DatabaseSettings.effectiveUrl("jdbc:postgresql://db:5432/switchboard"))
                .isEqualTo("jdbc:postgresql://db:5432/switchboard");
    }

    @Test
    void should_put_the_completed_url_into_the_environment() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:file:./data/x");
        new DatabaseSettings().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("spring.datasource.url")).endsWith(";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void should_refuse_other_engines_and_contradicting_h2_modes_in_one_line() {
        assertThatThrownBy(() -> DatabaseSettings.effectiveUrl("jdbc:mysql://db:3306/switchboard"))
                .isInstanceOf(DatabaseSettings.UnsupportedDatabaseException.class)
                .hasMessage("spring.datasource.url names an unsupported database (mysql): Switchboard supports PostgreSQL "
                        + "(jdbc:postgresql://host:5432/db) and H2 (jdbc:h2:...)");
        assertThatThrownBy(() -> DatabaseSettings.effectiveUrl("jdbc:h2:mem:x;MODE=MySQL"))
                .isInstanceOf(DatabaseSettings.UnsupportedDatabaseException.class)
                .hasMessageContaining("spring.datasource.url").hasMessageContaining("MODE=MySQL");

        FailureAnalysis analysis = new DatabaseSettingsFailureAnalyzer().analyze(new IllegalStateException("start",
                new DatabaseSettings.UnsupportedDatabaseException("mysql", "Switchboard supports PostgreSQL and H2")));
        assertThat(analysis.getDescription()).doesNotContain("\n").startsWith("spring.datasource.url");
    }
}
