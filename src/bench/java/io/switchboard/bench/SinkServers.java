package io.switchboard.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three fan-out sinks (analytics, crm, dashboard) as local HTTP servers in the harness process, each on its
 * own port, answering 200 at once, or after a delay the sink adds itself ({@link #answerAfter}: a slow CRM webhook)
 * without holding a thread, so any number of requests can wait at once. Every delivery is booked in the
 * {@link DeliveryLedger} of the run its {@code X-Event-Id} belongs to, when it arrives. A sink can be taken down
 * (it answers 503 to everything) and brought back.
 */
final class SinkServers implements AutoCloseable {

    static final List<String> NAMES = List.of("analytics", "crm", "dashboard");
    private static final byte[] OK = "{\"ok\":true}".getBytes();
    private static final byte[] DOWN = "{\"error\":\"sink down\"}".getBytes();

    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs add tens of milliseconds to a keep-alive exchange, and the benchmark would measure that
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer[] servers = new HttpServer[NAMES.size()];
    private final ExecutorService threads;
    private final Map<Integer, DeliveryLedger> ledgers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicIntegerArray down = new java.util.concurrent.atomic.AtomicIntegerArray(NAMES.size());
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService later =
            Executors.newScheduledThreadPool(2, BaselineLoop.daemon("bench-sink-later"));
    private volatile long delayNanos;

    SinkServers() throws IOException {
        threads = Executors.newFixedThreadPool(24, runnable -> {
            Thread thread = new Thread(runnable, "bench-sink");
            thread.setDaemon(true);
            return thread;
        });
        for (int s = 0; s < servers.length; s++) {
            int sink = s;
            servers[s] = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            servers[s].createContext("/" + NAMES.get(s), exchange -> handle(sink, exchange));
            servers[s].setExecutor(threads);
            servers[s].start();
        }
    }

    /** The sink's URL for {@code events.sinks.<name>}. */
    String url(int sink) {
        return "http://127.0.0.1:" + servers[sink].getAddress().getPort() + "/" + NAMES.get(sink);
    }

    /** Deliveries of this feed's events go to this ledger from now on. */
    DeliveryLedger track(EventFeed feed) {
        DeliveryLedger ledger = new DeliveryLedger(feed, NAMES.size());
        ledgers.put(feed.run(), ledger);
        return ledger;
    }

    void forget(EventFeed feed) {
        ledgers.remove(feed.run());
    }

    /** Every sink answers {@code delay} after a request arrived (zero: at once). */
    void answerAfter(java.time.Duration delay) {
        delayNanos = delay.toNanos();
    }

    void takeDown(int sink) {
        down.set(sink, 1);
    }

    void bringBack(int sink) {
        down.set(sink, 0);
    }

    /** Deliveries of events no ledger tracks. */
    long unknown() {
        return unknown.get();
    }

    /** Deliveries answered 503 while a sink was down. */
    long refused() {
        return refused.get();
    }

    private void handle(int sink, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        long now = System.nanoTime();
        if (down.get(sink) == 1) {
            refused.incrementAndGet();
            answer(exchange, 503, DOWN);
            return;
        }
        String eventId = exchange.getRequestHeaders().getFirst("X-Event-Id");
        DeliveryLedger ledger = eventId == null ? null : ledgers.get(EventFeed.runOf(eventId));
        if (ledger == null) {
            unknown.incrementAndGet();
        } else {
            ledger.received(sink, EventFeed.indexOf(eventId), exchange.getRequestHeaders().getFirst("X-Interaction-Id"),
                    Arrays.hashCode(body), now);
        }
        long delay = delayNanos;
        if (delay <= 0) {
            answer(exchange, 200, OK);
            return;
        }
        later.schedule(() -> {
            try {
                answer(exchange, 200, OK);
            } catch (IOException | RuntimeException gone) {
                exchange.close();
            }
        }, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop(0);
        }
        threads.shutdownNow();
        later.shutdownNow();
    }
}
