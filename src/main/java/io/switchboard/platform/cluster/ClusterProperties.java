package io.switchboard.platform.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code switchboard.cluster.*}: how several Switchboard instances agree on which one runs the work that must
 * happen once per cluster (the CXone delivery-report poll). Off by default: a single instance runs it itself.
 *
 * @param enabled    true when several instances share one SQS and one PostgreSQL
 * @param service    {@code kubernetes} (a coordination.k8s.io Lease) or {@code file} (a lock file on a
 *                   filesystem every instance shares)
 * @param file       settings of the {@code file} service
 * @param kubernetes settings of the {@code kubernetes} service
 */
@ConfigurationProperties("switchboard.cluster")
public record ClusterProperties(boolean enabled,
                                @DefaultValue("kubernetes") String service,
                                @DefaultValue FileLock file,
                                @DefaultValue Kubernetes kubernetes) {

    /**
     * @param root                  directory holding one lock file per singleton (must be shared by all instances)
     * @param acquireLockInterval   lock attempt and heartbeat period: a follower takes over once the leader's
     *                              heartbeat is 5 periods old, so failover after a crash takes about 6 periods
     */
    public record FileLock(@DefaultValue("./data/cluster") String root,
                           @DefaultValue("PT2S") Duration acquireLockInterval) {
    }

    /**
     * @param namespace     Kubernetes namespace of the Lease (blank = the pod's own namespace)
     * @param podName       this pod's name, the Lease holder identity (blank = HOSTNAME)
     * @param leaseDuration how long a Lease held by a dead pod blocks the others: the failover delay
     * @param renewDeadline the leader gives up leadership when it could not renew for this long
     * @param retryPeriod   how often Leases are checked and renewed
     */
    public record Kubernetes(String namespace,
                             String podName,
                             @DefaultValue("PT15S") Duration leaseDuration,
                             @DefaultValue("PT10S") Duration renewDeadline,
                             @DefaultValue("PT2S") Duration retryPeriod) {
    }
}
