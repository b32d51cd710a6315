package io.switchboard.platform.cluster;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster service behind the {@code master:} component when {@code switchboard.cluster.enabled}: Camel's
 * {@link KubernetesClusterService} (leadership = a coordination.k8s.io Lease per singleton) or its
 * {@link FileLockClusterService} (leadership = an OS lock on a file in a directory all instances share). Both are
 * kept Apache Camel code; Switchboard adds no election protocol of its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "switchboard.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

    @Bean
    CamelContextConfiguration clusterService(ClusterProperties properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                try {
                    context.addService(create(properties), true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Could not add the cluster service", e);
                }
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
            }
        };
    }

    /** Camel names a singleton's Lease {@code <prefix>-<singleton>}, e.g. switchboard-email-reports. */
    static final String LEASE_PREFIX = "switchboard";

    static CamelClusterService create(ClusterProperties properties) {
        return switch (properties.service()) {
            case "kubernetes" -> kubernetes(properties.kubernetes());
            case "file" -> file(properties.file());
            default -> throw new IllegalStateException("switchboard.cluster.service must be kubernetes or file, not '"
                    + properties.service() + "'");
        };
    }

    private static CamelClusterService kubernetes(ClusterProperties.Kubernetes settings) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId("switchboard-kubernetes");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(LEASE_PREFIX); // the Lease of singleton x: switchboard-x
        if (settings.namespace() != null && !settings.namespace().isBlank()) {
            service.setKubernetesNamespace(settings.namespace());
        }
        if (settings.podName() != null && !settings.podName().isBlank()) {
            service.setPodName(settings.podName());
        }
        service.setLeaseDurationMillis(settings.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(settings.renewDeadline().toMillis());
        service.setRetryPeriodMillis(settings.retryPeriod().toMillis());
        return service;
    }

    private static CamelClusterService file(ClusterProperties.FileLock settings) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId("switchboard-file");
        service.setRoot(settings.root());
        service.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);   // first attempt right after start
        service.setAcquireLockInterval(settings.acquireLockInterval().toMillis(), TimeUnit.MILLISECONDS);
        return service;
    }
}
