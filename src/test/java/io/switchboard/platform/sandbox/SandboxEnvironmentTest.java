package io.switchboard.platform.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

/** Profile live never starts the sandbox's servers, whatever the configuration files say. */
class SandboxEnvironmentTest {

    @Test
    void should_start_nothing_in_profile_live_even_when_sandbox_is_enabled() {
        MockEnvironment env = new MockEnvironment().withProperty("switchboard.sandbox.enabled", "true");
        env.setActiveProfiles("live");
        int running = SandboxEnvironment.RUNNING.size();

        new SandboxEnvironment(new DeferredLogs()).postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getPropertySources().contains("switchboard-sandbox")).isFalse();
        assertThat(env.getProperty("cxone.base-url")).isNull();
        assertThat(SandboxEnvironment.RUNNING).hasSize(running);
    }
}
