package io.switchboard.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HTTP event sinks for the console tests, one path per configured sink: each records the X-Event-Id of every event
 * it accepted, and answers 503 to everything while told to fail.
 */
final class TestSinks {

    static final List<String> NAMES = List.of("analytics", "crm", "dashboard");

    /** One event a sink accepted. */
    record Delivery(String sink, String eventId, String interactionId) {
    }

    private final HttpServer server;
    private final List<Delivery> delivered = new CopyOnWriteArrayList<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    TestSinks() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String sink : NAMES) {
            server.createContext("/" + sink, exchange -> handle(sink, exchange));
        }
        server.start();
    }

    String url(String sink) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + sink;
    }

    void fail(String sink) {
        failing.add(sink);
    }

    void heal(String sink) {
        failing.remove(sink);
    }

    List<Delivery> delivered(String sink) {
        return delivered.stream().filter(d -> d.sink().equals(sink)).toList();
    }

    private void handle(String sink, HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        int status = failing.contains(sink) ? 503 : 200;
        if (status == 200) {
            delivered.add(new Delivery(sink, exchange.getRequestHeaders().getFirst("X-Event-Id"),
                    exchange.getRequestHeaders().getFirst("X-Interaction-Id")));
        }
        byte[] body = (status == 200 ? "{}" : "{\"error\":\"down\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
