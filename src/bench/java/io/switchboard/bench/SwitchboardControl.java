package io.switchboard.bench;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the harness asks of a running Switchboard: start or stop a route (the SQS consumer starts on cue, so a
 * drain is timed from its first receive), measure its heap and CPU, run a route and time it, fire a burst of
 * upstream calls. {@link ForkedSwitchboard} asks a Switchboard in its own JVM over a small control port;
 * {@link ControlActions} is the same thing in the calling JVM (the smoke run).
 */
interface SwitchboardControl extends AutoCloseable {

    /** Ids of every route Switchboard runs (e.g. to tell whether a workflow is in this build). */
    Set<String> routes();

    void startRoute(String routeId);

    void stopRoute(String routeId);

    /** Bytes of heap in use right after full GCs: the live set. */
    long liveHeapAfterGc();

    void resetHeapPeaks();

    HeapPeaks heapPeaks();

    /** CPU time the JVM running Switchboard used so far. */
    Duration cpu();

    /** Sends an empty message to {@code uri} and waits for the answer; returns how long it took. */
    Duration request(String uri);

    /** {@code calls} POSTs to CXone {@code path} through {@code direct:cxone}, all started at once. */
    List<CallOutcome> burst(String path, int calls);

    /** Stops Switchboard (SIGTERM for a forked one) and returns how long that took. */
    Duration stop();

    @Override
    default void close() {
        stop();
    }

    /**
     * @param afterGc the largest heap left after any collection since the reset
     * @param used    the largest heap in use at all since the reset (sampled every 20 ms)
     * @param max     the JVM's maximum heap (-Xmx)
     */
    record HeapPeaks(long afterGc, long used, long max) {
    }

    /**
     * One upstream call of a burst.
     *
     * @param index    the call's number in the burst
     * @param waitedMs from the burst's start to the call's answer
     * @param status   the upstream's HTTP status, or 0 when there was none
     * @param attempts HTTP requests made for the call
     * @param error    the failure, or null
     */
    record CallOutcome(int index, long waitedMs, int status, int attempts, String error) {
    }
}
