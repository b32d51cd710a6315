package io.switchboard.platform.cluster;

import org.springframework.stereotype.Component;

/**
 * Endpoints of routes that must run on one instance at a time. With {@code switchboard.cluster.enabled} the
 * consumer endpoint is wrapped in Camel's {@code master:} component: only the instance holding the leadership of
 * the singleton's namespace consumes, and another takes over when it dies. Without it, the endpoint is returned
 * unchanged, so a single instance (and the sandbox) behaves exactly as before.
 */
@Component
public class ClusterSingletons {

    private final ClusterProperties properties;

    public ClusterSingletons(ClusterProperties properties) {
        this.properties = properties;
    }

    /**
     * @param name     the singleton's name, e.g. {@code email-reports}: lowercase letters, digits and dashes
     * @param endpoint the consumer endpoint URI, e.g. {@code timer:x?period=60000}
     * @return the URI to consume from: {@code master:<name>:<endpoint>} when clustering is on (the Lease
     *         {@code switchboard-<name>} on Kubernetes, the lock file {@code <name>} in the file service's folder)
     */
    public String once(String name, String endpoint) {
        return properties.enabled() ? "master:" + name + ":" + endpoint : endpoint;
    }
}
