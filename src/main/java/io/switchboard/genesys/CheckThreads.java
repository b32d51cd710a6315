package io.switchboard.genesys;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads DNS lookups and destination probes run on (they wait on the network, not the CPU).
 * Deliberately not an {@link java.util.concurrent.Executor} bean, so Spring Boot's own task executor and
 * other workflows' executors are unaffected.
 */
public class CheckThreads implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    public CheckThreads(int threads) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "genesys-destination-check-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
