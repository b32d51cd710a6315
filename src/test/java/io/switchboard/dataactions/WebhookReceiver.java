package io.switchboard.dataactions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook target for the callback tests: records every request, answers with a chosen status, and
 * can hold requests at a gate until the test opens it (to prove the 201 does not wait for them).
 */
final class WebhookReceiver {

    record Received(String method, String contentType, String correlationId, String body, Set<String> headerNames) {
    }

    static final String PATH = "/hooks/data-actions";

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private volatile int status = 204;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "webhook-receiver");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext(PATH, this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    /** Forget what was received, answer 204 again and open the gate. */
    void reset() {
        gate.countDown();
        received.clear();
        status = 204;
        gate = new CountDownLatch(0);
    }

    /** Stop listening (for a receiver of one test; the shared ones live as long as the JVM). */
    void stopServer() {
        gate.countDown();
        server.stop(0);
    }

    void answer(int status) {
        this.status = status;
    }

    /** From now on, requests wait (before they are recorded) until {@link #open()}. */
    void close() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    /** Requests currently waiting at the gate. */
    int held() {
        return held.get();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CountDownLatch waitFor = gate;
        held.incrementAndGet();
        try {
            waitFor.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
        received.add(new Received(exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("X-Correlation-ID"), body,
                Set.copyOf(exchange.getRequestHeaders().keySet())));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
