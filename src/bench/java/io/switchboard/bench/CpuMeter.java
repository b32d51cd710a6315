package io.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CPU time over an interval, two ways. <b>Machine-wide</b> from {@code /proc/stat}: every process counts (the
 * engine, the SQS server and the sinks in the harness, and anything else running, so on a shared machine it is an
 * upper bound). <b>The run's own processes</b>: the harness JVM plus the engine's JVM, from the operating system's
 * per-process accounting, which other work on the machine does not disturb.
 */
final class CpuMeter {

    /** Kernel clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuMeter() {
    }

    /** A reading at one moment. */
    record Reading(long machineBusyTicks, long machineTotalTicks, long ownNanos) {
    }

    /** The CPU used between two readings. */
    record Used(Duration machine, Duration own, double machineUtilisation) {
        double machineSecondsPerThousand(long events) {
            return machine.toNanos() / 1e9 / (events / 1000.0);
        }

        double ownSecondsPerThousand(long events) {
            return own.toNanos() / 1e9 / (events / 1000.0);
        }
    }

    /** Reads now; {@code engine} is the engine's process (null when it runs inside the harness JVM). */
    static Reading read(ProcessHandle engine) {
        long[] machine = machineTicks();
        long own = processCpuNanos();
        if (engine != null) {
            own += engine.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return new Reading(machine[0], machine[1], own);
    }

    static Used between(Reading from, Reading to) {
        long busy = to.machineBusyTicks() - from.machineBusyTicks();
        long total = to.machineTotalTicks() - from.machineTotalTicks();
        return new Used(Duration.ofNanos((long) (busy / TICKS_PER_SECOND * 1e9)),
                Duration.ofNanos(to.ownNanos() - from.ownNanos()), total == 0 ? 0 : (double) busy / total);
    }

    /** This JVM's CPU time (user + system, every thread). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {busy, total} ticks of all CPUs: busy is everything but idle and iowait. */
    static long[] machineTicks() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): fall back to this JVM alone, in ticks
            long ticks = (long) (processCpuNanos() / 1e9 * TICKS_PER_SECOND);
            return new long[] {ticks, ticks};
        }
    }
}
