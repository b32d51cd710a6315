package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Schemas and sink routes come from folders of the working directory when they hold files, else from the jar. */
class DeploymentLayoutTest {

    @TempDir
    Path workingDirectory;

    @Test
    void should_use_the_built_in_schemas_and_routes_in_an_empty_directory() {
        MockEnvironment env = layout(new MockEnvironment());
        assertThat(env.getProperty("switchboard.schemas-location")).isEqualTo("classpath:config/schemas");
        assertThat(env.getProperty("switchboard.routes-location")).isEqualTo("classpath:routes/*.yaml");
    }

    @Test
    void should_use_the_folders_of_the_working_directory_when_they_hold_files() throws Exception {
        Files.createDirectories(workingDirectory.resolve("config/schemas"));
        Files.writeString(workingDirectory.resolve("config/schemas/event-envelope.json"), "{}");
        Files.createDirectories(workingDirectory.resolve("routes"));
        Files.writeString(workingDirectory.resolve("routes/event-sinks.yaml"), "[]");
        MockEnvironment env = layout(new MockEnvironment());
        assertThat(env.getProperty("switchboard.schemas-location"))
                .isEqualTo("file:" + workingDirectory.resolve("config/schemas").toAbsolutePath());
        assertThat(env.getProperty("switchboard.routes-location"))
                .isEqualTo("file:" + workingDirectory.resolve("routes").toAbsolutePath() + "/*.yaml");
    }

    @Test
    void should_keep_the_built_in_routes_when_the_mounted_folder_is_empty() throws Exception {
        // an optional ConfigMap that does not exist is mounted as an empty folder
        Files.createDirectories(workingDirectory.resolve("routes"));
        Files.writeString(workingDirectory.resolve("routes/.gitkeep"), "");
        assertThat(layout(new MockEnvironment()).getProperty("switchboard.routes-location"))
                .isEqualTo("classpath:routes/*.yaml");
    }

    @Test
    void should_read_the_folders_named_by_a_setting_and_let_an_explicit_location_win() throws Exception {
        Path mounted = Files.createDirectories(workingDirectory.resolve("etc/switchboard/routes"));
        Files.writeString(mounted.resolve("sinks.yaml"), "[]");
        MockEnvironment env = layout(new MockEnvironment()
                .withProperty("switchboard.routes-dir", mounted.toString())
                .withProperty("switchboard.schemas-location", "classpath:other/schemas"));
        assertThat(env.getProperty("switchboard.routes-location")).isEqualTo("file:" + mounted + "/*.yaml");
        assertThat(env.getProperty("switchboard.schemas-location")).isEqualTo("classpath:other/schemas");
    }

    @Test
    void should_carry_every_schema_and_the_default_routes_on_the_classpath() {
        // what the jar falls back to: packaged from config/schemas and routes/ (pom.xml resources)
        for (String schema : new String[] {"event-envelope.json", "routing-rule.json", "data-action.json",
                "email-channel.json", "email-smtp-test.json", "genesys-integration-resolve.json",
                "events-subscription.json", "routing-webhook-registration.json", "routing-webhook-callback.json",
                "problem.json", "responses/whoami.json", "responses/event-accepted.json"}) {
            assertThat(getClass().getResource("/config/schemas/" + schema)).as(schema).isNotNull();
        }
        assertThat(getClass().getResource("/routes/event-sinks.yaml")).isNotNull();
    }

    private MockEnvironment layout(MockEnvironment env) {
        env.setProperty("user.dir", workingDirectory.toString());
        new DeploymentLayout().postProcessEnvironment(env, null);
        return env;
    }
}
