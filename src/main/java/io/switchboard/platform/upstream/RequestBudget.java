package io.switchboard.platform.upstream;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The client-side request budget of one platform: at most {@code limit} calls in any window of
 * {@code window} (60 s), measured from when each call ends, so no sliding window ever carries more.
 * A call over budget waits, first come first served, until a permit comes back; nothing is dropped.
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

    /** The call that took a permit has ended: the permit comes back one window from now. */
    public void release() {
        returns.schedule(() -> permits.release(), window.toMillis(), TimeUnit.MILLISECONDS);
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
