package io.switchboard.platform.sandbox;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Stops the sandbox servers {@link SandboxEnvironment} started for this context when it closes. */
@Component
@ConditionalOnProperty(SandboxEnvironment.INSTANCE_ID_KEY)
public class SandboxServers implements DisposableBean {

    private final String instanceId;

    public SandboxServers(@Value("${" + SandboxEnvironment.INSTANCE_ID_KEY + "}") String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public void destroy() {
        SandboxEnvironment.Running running = SandboxEnvironment.RUNNING.remove(instanceId);
        if (running != null) {
            running.stop();
        }
    }
}
