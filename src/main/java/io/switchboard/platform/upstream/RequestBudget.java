package io.switchboard.platform.upstream;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The client-side request budget of one platform: at most {@code limit} calls in any window of
 * {@code window} (60 s), measured from when each call ends, so no sliding window ever carries more.
 * A call over budget waits, first come first served, until a permit comes back; nothing is dropped.
 * A caller that cannot wait long (an HTTP client) uses {@link #tryAcquire(Duration)}: it gets a permit within
 * its wait, or at once the time until its turn, and no call is made for it later.
 *
 * <p>A permit is returned one window after the call that used it finishes. This is the sliding-log
 * form of Camel's throttle EIP (TotalRequests mode), kept here because that throttler can hand out a
 * second set of permits when it cleans its state (CAMEL-25300).
 */
public class RequestBudget implements AutoCloseable {

    private final int limit;
    private final Duration window;
    private final Semaphore permits;
    private final ScheduledExecutorService returns;
    /** When each permit now on its way back returns (System.nanoTime), earliest first. */
    private final PriorityQueue<Long> returning = new PriorityQueue<>();

    public RequestBudget(String platform, int limit, Duration window) {
        this.limit = limit;
        this.window = window;
        this.permits = new Semaphore(limit, true);
        this.returns = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "request-budget-" + platform);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Blocks until the call may go out. */
    public void acquire() throws InterruptedException {
        permits.acquire();
    }

    /**
     * For a caller that waits at most {@code maxWait}: null once it holds a permit (taken at once, or within
     * {@code maxWait} at the budget's pace), else how long until its turn would come. Its turn is estimated from
     * the permits on their way back; a permit still held by a call in flight returns a whole window after that
     * call ends, so a caller behind those is told to come back after a window.
     */
    public Duration tryAcquire(Duration maxWait) throws InterruptedException {
        Duration turn = untilTurn();
        if (turn.compareTo(maxWait) > 0) {
            return turn;
        }
        if (permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return untilTurn();
    }

    /** How long until a newcomer would get a permit, behind those already waiting. */
    synchronized Duration untilTurn() {
        int ahead = permits.getQueueLength() + 1 - permits.availablePermits();
        if (ahead <= 0) {
            return Duration.ZERO;
        }
        Long[] times = returning.toArray(Long[]::new);
        if (ahead > times.length) {
            return window.multipliedBy(1 + (ahead - times.length - 1) / limit);
        }
        java.util.Arrays.sort(times);
        return Duration.ofNanos(Math.max(0, times[ahead - 1] - System.nanoTime()));
    }

    /** The call that took a permit has ended: the permit comes back one window from now. */
    public void release() {
        Long at = System.nanoTime() + window.toNanos();
        synchronized (this) {
            returning.add(at);
        }
        returns.schedule(() -> {
            synchronized (this) {
                returning.remove(at);
            }
            permits.release();
        }, window.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Duration window() {
        return window;
    }

    public int limit() {
        return limit;
    }

    public int available() {
        return permits.availablePermits();
    }

    public int waiting() {
        return permits.getQueueLength();
    }

    @Override
    public void close() {
        returns.shutdownNow();
    }
}
