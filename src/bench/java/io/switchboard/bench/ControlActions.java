package io.switchboard.bench;

import io.switchboard.SwitchboardApplication;
import io.switchboard.platform.upstream.Upstream;
import io.switchboard.platform.upstream.UpstreamException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The control actions, carried out on a Switchboard application context in this JVM. Used directly by the smoke
 * run (Switchboard in the test JVM) and behind {@link BenchedSwitchboard}'s control port for a forked one.
 */
final class ControlActions implements SwitchboardControl {

    private final ConfigurableApplicationContext app;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final HeapWatch heap;

    ControlActions(ConfigurableApplicationContext app, HeapWatch heap) {
        this.app = app;
        this.camel = app.getBean(CamelContext.class);
        this.producer = camel.createProducerTemplate();
        this.heap = heap;
    }

    /** Switchboard with these {@code --key=value} settings, in this JVM. */
    static ControlActions start(List<String> settings) {
        HeapWatch heap = HeapWatch.start();
        ConfigurableApplicationContext app = SpringApplication.run(SwitchboardApplication.class,
                settings.toArray(String[]::new));
        return new ControlActions(app, heap);
    }

    @Override
    public Set<String> routes() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route route : camel.getRoutes()) {
            ids.add(route.getRouteId());
        }
        return ids;
    }

    @Override
    public void startRoute(String routeId) {
        try {
            camel.getRouteController().startRoute(routeId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start route " + routeId, e);
        }
    }

    @Override
    public void stopRoute(String routeId) {
        try {
            camel.getRouteController().stopRoute(routeId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop route " + routeId, e);
        }
    }

    @Override
    public long liveHeapAfterGc() {
        try {
            return heap.liveAfterFullGc();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void resetHeapPeaks() {
        heap.resetPeaks();
    }

    @Override
    public HeapPeaks heapPeaks() {
        return new HeapPeaks(heap.peakAfterGc(), heap.peakUsed(), HeapWatch.max());
    }

    @Override
    public Duration cpu() {
        return Duration.ofNanos(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    }

    @Override
    public Duration request(String uri) {
        long started = System.nanoTime();
        Exchange done = producer.send(uri, exchange -> exchange.getIn().setBody(null));
        if (done.getException() != null) {
            throw new IllegalStateException(uri + " failed: " + done.getException(), done.getException());
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public List<CallOutcome> burst(String path, int calls) {
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<CallOutcome>> outcomes = new ArrayList<>();
            long[] started = new long[1];
            for (int i = 0; i < calls; i++) {
                int index = i;
                outcomes.add(callers.submit(() -> {
                    go.await();
                    return call(path, index, started[0]);
                }));
            }
            started[0] = System.nanoTime();
            go.countDown();
            List<CallOutcome> result = new ArrayList<>(calls);
            for (Future<CallOutcome> outcome : outcomes) {
                result.add(outcome.get());
            }
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("burst failed", e);
        } finally {
            callers.shutdownNow();
        }
    }

    private CallOutcome call(String path, int index, long burstStarted) {
        Exchange done = producer.send(Upstream.CXONE, exchange -> {
            exchange.getIn().setHeader(Upstream.METHOD, "POST");
            exchange.getIn().setHeader(Upstream.PATH, path);
            exchange.getIn().setBody("{\"call\":" + index + "}");
        });
        long waitedMs = (System.nanoTime() - burstStarted) / 1_000_000;
        Exception failure = done.getException();
        int attempts = done.getIn().getHeader(Upstream.ATTEMPTS, 0, Integer.class);
        if (failure == null) {
            return new CallOutcome(index, waitedMs, done.getIn().getHeader(Upstream.STATUS, 0, Integer.class), attempts, null);
        }
        int status = failure instanceof UpstreamException upstream ? upstream.status() : 0;
        if (failure instanceof UpstreamException upstream) {
            attempts = upstream.attempts();
        }
        return new CallOutcome(index, waitedMs, status, attempts, failure.toString());
    }

    @Override
    public Duration stop() {
        long started = System.nanoTime();
        if (app.isActive()) {
            app.close();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
