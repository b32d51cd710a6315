package io.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A build without the sandbox (the packaged jar) refuses sandbox mode, saying what to set; live is unaffected. */
class SandboxPresenceCheckTest {

    final SandboxPresenceCheck withoutSandbox = new SandboxPresenceCheck("io.switchboard.NoSuchSandbox");

    @Test
    void should_refuse_sandbox_mode_when_the_build_carries_no_sandbox() {
        assertThatThrownBy(() -> withoutSandbox.postProcessEnvironment(new MockEnvironment(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SPRING_PROFILES_ACTIVE=live")
                .hasMessageContaining("SWITCHBOARD_SANDBOX_ENABLED=false");
    }

    @Test
    void should_let_live_profile_and_sandbox_off_start_without_the_sandbox() {
        MockEnvironment live = new MockEnvironment();
        live.setActiveProfiles("live");
        assertThatCode(() -> withoutSandbox.postProcessEnvironment(live, null)).doesNotThrowAnyException();
        assertThatCode(() -> withoutSandbox.postProcessEnvironment(
                new MockEnvironment().withProperty("switchboard.sandbox.enabled", "false"), null))
                .doesNotThrowAnyException();
        assertThatCode(() -> withoutSandbox.postProcessEnvironment(new MockEnvironment()
                .withProperty("switchboard.sandbox.embedded-sqs", "false")
                .withProperty("switchboard.sandbox.simulate-upstreams", "false"), null))
                .doesNotThrowAnyException();
    }

    @Test
    void should_find_the_sandbox_on_the_test_classpath() {
        assertThatCode(() -> new SandboxPresenceCheck().postProcessEnvironment(new MockEnvironment(), null))
                .doesNotThrowAnyException();
    }
}
