package io.switchboard.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The heap of the JVM Switchboard runs in: the live set after a forced full GC, the largest live set left after
 * any collection (what the service really holds at its worst moment, garbage excluded), and the largest heap in
 * use at all (sampled every 20 ms, garbage included).
 */
final class HeapWatch {

    private volatile long peakAfterGc;
    private volatile long peakUsed;
    private volatile boolean running = true;

    private HeapWatch() {
    }

    static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(watch::collected, null, null);
        }
        Thread sampler = new Thread(watch::sample, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
        return watch;
    }

    /** Full GCs until the heap stops shrinking; then the heap in use is the live set. */
    long liveAfterFullGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = used();
        for (int round = 0; round < 5 && used < previous; round++) {
            previous = used;
            System.gc();
            Thread.sleep(100);
            used = used();
        }
        return Math.min(previous, used);
    }

    void resetPeaks() {
        peakAfterGc = 0;
        peakUsed = used();
    }

    long peakAfterGc() {
        return peakAfterGc;
    }

    long peakUsed() {
        return Math.max(peakUsed, used());
    }

    static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long max() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    private void sample() {
        while (running) {
            peakUsed = Math.max(peakUsed, used());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = after.get(pool.getName());
            if (pool.getType() == MemoryType.HEAP && usage != null) {
                used += usage.getUsed();
            }
        }
        if (used > peakAfterGc) {
            peakAfterGc = used;
        }
    }
}
