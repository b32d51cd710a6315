package io.switchboard.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP sinks for the event tests: one server, a path per sink ({@code /analytics}, {@code /crm},
 * {@code /dashboard}). Records every request in arrival order; a sink can be told to fail or to be slow.
 */
public final class RecordingSinks {

    public static final List<String> NAMES = List.of("analytics", "crm", "dashboard");

    /** One request a sink received. */
    public record Request(String sink, String method, String eventId, String interactionId, String contentType,
                          String body, int status, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Integer> failing = new ConcurrentHashMap<>();
    private final Map<String, Long> delayMs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, Long> holdMs = new ConcurrentHashMap<>();
    private final Map<String, Set<HttpExchange>> held = new ConcurrentHashMap<>();
    private final Map<String, Integer> peakHeld = new ConcurrentHashMap<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "recording-sink-later");
        thread.setDaemon(true);
        return thread;
    });

    public RecordingSinks() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String sink : NAMES) {
            server.createContext("/" + sink, exchange -> handle(sink, exchange));
        }
        server.setExecutor(Executors.newFixedThreadPool(32, runnable -> {
            Thread thread = new Thread(runnable, "recording-sink");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public String url(String sink) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + sink;
    }

    public void stop() {
        server.stop(0);
        later.shutdownNow();
    }

    /** The sink answers {@code status} to everything until {@link #heal}. */
    public void fail(String sink, int status) {
        failing.put(sink, status);
    }

    /** The sink answers {@code status} to its next {@code times} requests. */
    public void failNext(String sink, int status, int times) {
        failing.put(sink, status);
        failuresLeft.put(sink, new AtomicInteger(times));
    }

    public void heal(String sink) {
        failing.remove(sink);
        failuresLeft.remove(sink);
    }

    /** Every request to the sink takes this long before it is answered. */
    public void slow(String sink, long millis) {
        delayMs.put(sink, millis);
    }

    /**
     * The sink keeps every request open, unanswered, until {@link #release} or for {@code most} at the longest
     * (less than the client's response timeout, so a held request is never given up and sent again). Meanwhile
     * {@link #peakHeld} says how many it held open at once: the requests Switchboard had in flight to it.
     */
    public void hold(String sink, Duration most) {
        peakHeld.put(sink, 0);
        holdMs.put(sink, most.toMillis());
    }

    /** Answers every request the sink holds, and holds no more. */
    public void release(String sink) {
        holdMs.remove(sink);
        Set<HttpExchange> open = held.remove(sink);
        if (open != null) {
            synchronized (open) {
                for (HttpExchange exchange : List.copyOf(open)) {
                    answerHeld(sink, exchange, open);
                }
            }
        }
    }

    /** The most requests the sink held open at once since {@link #hold}. */
    public int peakHeld(String sink) {
        return peakHeld.getOrDefault(sink, 0);
    }

    public synchronized void reset() {
        requests.clear();
        failing.clear();
        delayMs.clear();
        failuresLeft.clear();
        for (String sink : List.copyOf(holdMs.keySet())) {
            release(sink);
        }
        peakHeld.clear();
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests the sink answered 2xx, in arrival order. */
    public synchronized List<Request> delivered(String sink) {
        return requests.stream().filter(r -> r.sink().equals(sink) && r.status() < 300).toList();
    }

    /**
     * Checks the ordering guarantee (docs/events.md, "Order") on what {@code sink} took: an event reaches it after a
     * later event of its interaction only if it was recorded more than {@code window} after the first of those
     * later ones to go (that one went because the window had passed without it; the later ones followed it as its
     * direct successors). Events missing from {@code orderKeyOf} are another test's. Returns how many came late so.
     */
    public int assertInOrderBarLateOnes(String sink, Map<String, Long> orderKeyOf, Map<String, Instant> recordedAt,
                                        Duration window) {
        OrderGuarantee check = new OrderGuarantee(window);
        int late = 0;
        for (Request request : delivered(sink)) {
            Long key = orderKeyOf.get(request.eventId());
            if (key == null) {
                continue; // another test's event
            }
            OrderGuarantee.Overtaken overtaken = check.next(new OrderGuarantee.Delivered(request.eventId(),
                    request.interactionId(), key, recordedAt.get(request.eventId())));
            if (overtaken != null) {
                OrderGuarantee.Delivered overtaker = overtaken.overtaker();
                assertThat(overtaken.allowed()).as("%s got %s (key %d) after %s (key %d), the first later one of %s to"
                                + " go, though recorded only %s after it (window %s)", sink, request.eventId(), key,
                        overtaker.eventId(), overtaker.orderKey(), request.interactionId(), overtaken.gap(), window)
                        .isTrue();
                late++;
            }
        }
        return late;
    }

    public synchronized long attempts(String sink, String eventId) {
        return requests.stream().filter(r -> r.sink().equals(sink) && eventId.equals(r.eventId())).count();
    }

    private void handle(String sink, HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        exchange.setAttribute("body", body);
        Long hold = holdMs.get(sink);
        if (hold != null) {
            Set<HttpExchange> open = held.computeIfAbsent(sink, s -> new HashSet<>());
            synchronized (open) {
                open.add(exchange);
                peakHeld.merge(sink, open.size(), Math::max);
            }
            later.schedule(() -> {
                synchronized (open) {
                    answerHeld(sink, exchange, open);
                }
            }, hold, TimeUnit.MILLISECONDS);
            return;
        }
        Long delay = delayMs.get(sink);
        if (delay == null) {
            answer(sink, exchange, body);
        } else { // a slow sink answers later, holding no thread meanwhile
            later.schedule(() -> {
                answer(sink, exchange, body);
                return null;
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Answers a held request once (release and the longest hold may both come to it); the caller holds open's lock. */
    private void answerHeld(String sink, HttpExchange exchange, Set<HttpExchange> open) {
        if (open.remove(exchange)) {
            try {
                answer(sink, exchange, (String) exchange.getAttribute("body"));
            } catch (IOException e) {
                // the client gave up on it: nothing to answer
            }
        }
    }

    private void answer(String sink, HttpExchange exchange, String body) throws IOException {
        int status = statusFor(sink);
        synchronized (this) {
            requests.add(new Request(sink, exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("X-Event-Id"),
                    exchange.getRequestHeaders().getFirst("X-Interaction-Id"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, status,
                    Map.copyOf(exchange.getRequestHeaders())));
        }
        // no body: headers and body written separately would meet the client's delayed ACK (Nagle), 40 ms each
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private int statusFor(String sink) {
        Integer status = failing.get(sink);
        if (status == null) {
            return 200;
        }
        AtomicInteger left = failuresLeft.get(sink);
        if (left != null && left.getAndDecrement() <= 0) {
            return 200;
        }
        return status;
    }
}
