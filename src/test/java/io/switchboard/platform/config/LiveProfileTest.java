package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.SwitchboardApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Profile live refuses to start when required settings are missing, naming each one. */
class LiveProfileTest {

    @Test
    void should_refuse_to_start_naming_every_missing_setting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(SwitchboardApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("live")
                .properties("spring.main.banner-mode=off")
                .run("--cxone.base-url=https://api.example.com"))
                .isInstanceOfSatisfying(LiveSettingsCheck.MissingSettingsException.class, missing -> {
                    assertThat(missing.keys()).contains("switchboard.api-keys", "spring.datasource.url",
                            "cxone.token-url", "cxone.client-id", "cxone.client-secret",
                            "genesys.base-url", "genesys.token-url", "genesys.client-id", "genesys.client-secret");
                    assertThat(missing.keys()).doesNotContain("cxone.base-url", "aws.region");
                    FailureAnalysis analysis = new MissingSettingsFailureAnalyzer().analyze(missing);
                    assertThat(analysis.getDescription()).contains(
                            "  missing setting: cxone.client-secret (environment variable CXONE_CLIENT_SECRET)",
                            "  missing setting: spring.datasource.url (environment variable SPRING_DATASOURCE_URL)");
                    assertThat(analysis.getDescription().lines().filter(l -> l.contains("missing setting:")).count())
                            .isEqualTo(missing.keys().size());
                });
    }

    @Test
    void should_spell_keys_as_environment_variables() {
        assertThat(LiveSettingsCheck.envName("cxone.base-url")).isEqualTo("CXONE_BASE_URL");
        assertThat(LiveSettingsCheck.envName("switchboard.api-keys")).isEqualTo("SWITCHBOARD_API_KEYS");
    }
}
