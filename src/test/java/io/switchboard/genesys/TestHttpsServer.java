package io.switchboard.genesys;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination on 127.0.0.1 serving HTTPS with one test certificate. Paths: {@code /health} 200,
 * {@code /unhealthy} 503, {@code /not-found} 404, {@code /slow} no answer until released,
 * {@code /hang-up} closes without answering, {@code /redirect?to=URL} 302 to URL.
 */
final class TestHttpsServer implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads;
    private final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();
    /** Requests to {@code /slow} waiting for {@link #release()} right now. */
    final AtomicInteger waiting = new AtomicInteger();

    TestHttpsServer(TestCertificates.Identity identity) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(identity.serverContext()));
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-destination");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/unhealthy" -> answer(exchange, 503, "{\"status\":\"DOWN\"}");
            case "/not-found" -> answer(exchange, 404, "{}");
            case "/slow" -> {
                waiting.incrementAndGet();
                awaitRelease();
                waiting.decrementAndGet();
                answer(exchange, 200, "{\"status\":\"UP\"}");
            }
            case "/hang-up" -> exchange.close();
            case "/redirect" -> {
                String query = exchange.getRequestURI().getQuery();
                exchange.getResponseHeaders().add("Location", query == null ? "/" : query.substring("to=".length()));
                answer(exchange, 302, "");
            }
            default -> answer(exchange, 200, "{\"status\":\"UP\"}");
        }
    }

    /** Lets every {@code /slow} request, now and later, be answered. */
    void release() {
        release.countDown();
    }

    private void awaitRelease() {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
