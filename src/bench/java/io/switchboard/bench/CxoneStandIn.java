package io.switchboard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local CXone for the benchmarks that call it: the OAuth2 token endpoint, delivery-report pages generated on the
 * fly (nothing held in memory, so a million items cost the harness nothing), and an endpoint that books the
 * arrival time of every call (for the request budget). Answers at once.
 */
final class CxoneStandIn implements AutoCloseable {

    static final String REPORTS = "/cxone/api/v1/email/delivery/reports";
    static final String LIMITED = "/api/v1/bench/limited";

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private volatile int pages;
    private volatile int perPage;
    private volatile String run = "none";
    private final AtomicLong pagesServed = new AtomicLong();
    private final AtomicLong bytesServed = new AtomicLong();
    private final List<Long> arrivals = new ArrayList<>();

    CxoneStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.createContext("/cxone/oauth/token", exchange -> respond(exchange, 200,
                "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":36000}"));
        server.createContext(REPORTS, this::page);
        server.createContext("/cxone" + LIMITED, this::limited);
        threads = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "bench-cxone");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cxone";
    }

    /** From now on the reports span {@code pages} pages of {@code perPage} items, ids prefixed {@code run}. */
    void serveReports(int pages, int perPage, String run) {
        this.pages = pages;
        this.perPage = perPage;
        this.run = run;
        pagesServed.set(0);
        bytesServed.set(0);
    }

    long pagesServed() {
        return pagesServed.get();
    }

    long bytesServed() {
        return bytesServed.get();
    }

    synchronized void clearArrivals() {
        arrivals.clear();
    }

    /** {@link System#nanoTime()} of every call to the budgeted endpoint, in arrival order. */
    synchronized List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    /**
     * GET reports[?page=n]: a page of {@code perPage} items; every 50th bounced, every 1000th failed; all but the last
     * page name the next one in {@code nextPage}.
     */
    private void page(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        int page = query != null && query.startsWith("page=") ? Integer.parseInt(query.substring(5)) : 1;
        respond(exchange, 200, page(page));
        pagesServed.incrementAndGet();
    }

    String page(int page) {
        int size = perPage;
        StringBuilder body = new StringBuilder(size * 140 + 200).append("{\"items\":[");
        for (int i = 0; i < size; i++) {
            long n = (long) (page - 1) * size + i;
            String status = n % 1000 == 999 ? "failed" : n % 50 == 49 ? "bounced" : "delivered";
            body.append(i == 0 ? "" : ",").append("{\"messageId\":\"").append(run).append("-msg-").append(n)
                    .append("\",\"status\":\"").append(status).append("\",\"latencyMs\":").append(500 + n % 700)
                    .append(",\"timestamp\":\"2025-06-02T09:02:17Z\"");
            if (status.equals("bounced")) {
                body.append(",\"bounceCode\":\"550 5.1.1\"");
            }
            body.append('}');
        }
        body.append("],\"pageSize\":").append(size).append(",\"totalCount\":").append((long) pages * size);
        if (page < pages) {
            body.append(",\"nextPage\":\"").append(REPORTS).append("?page=").append(page + 1).append('"');
        }
        return body.append('}').toString();
    }

    private void limited(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        synchronized (this) {
            arrivals.add(now);
        }
        respond(exchange, 200, "{}");
    }

    private void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        bytesServed.addAndGet(bytes.length);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
