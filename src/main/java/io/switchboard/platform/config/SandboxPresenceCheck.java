package io.switchboard.platform.config;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.util.ClassUtils;

/**
 * The sandbox (embedded SQS server, simulated CXone / Genesys / EventBridge APIs) lives in src/sandbox and runs
 * with {@code mvn spring-boot:run} and the tests only: the packaged jar and the image do not carry it. Started
 * without profile {@code live} and with a sandbox server still asked for, such a build stops at once and says
 * what to do, instead of running against unset endpoints.
 */
public class SandboxPresenceCheck implements EnvironmentPostProcessor, Ordered {

    static final String SANDBOX_CLASS = "io.switchboard.platform.sandbox.SandboxEnvironment";

    private final String sandboxClass;

    public SandboxPresenceCheck() {
        this(SANDBOX_CLASS);
    }

    SandboxPresenceCheck(String sandboxClass) {
        this.sandboxClass = sandboxClass;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (env.acceptsProfiles(Profiles.of("live"))
                || !env.getProperty("switchboard.sandbox.enabled", Boolean.class, true)
                || ClassUtils.isPresent(sandboxClass, getClass().getClassLoader())) {
            return;
        }
        boolean sqs = env.getProperty("switchboard.sandbox.embedded-sqs", Boolean.class, true);
        boolean simulator = env.getProperty("switchboard.sandbox.simulate-upstreams", Boolean.class, true);
        if (sqs || simulator) {
            throw new IllegalStateException("This Switchboard build has no sandbox (the embedded SQS server and the "
                    + "simulated APIs run with `mvn spring-boot:run` only). Start it with SPRING_PROFILES_ACTIVE=live "
                    + "and the live settings (README \"Deploy\"), or set SWITCHBOARD_SANDBOX_ENABLED=false.");
        }
    }
}
