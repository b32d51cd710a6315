package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Switchboard in its own JVM, as the benchmarks run it: the real application ({@code SwitchboardApplication} with
 * the settings given as arguments, config/ and routes/ from the working directory) plus a control port on
 * loopback through which the harness carries out {@link ControlActions}. Says {@code @@CONTROL <port>} once the
 * application has started.
 */
public final class BenchedSwitchboard {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchedSwitchboard() {
    }

    public static void main(String[] args) throws Exception {
        ControlActions control = ControlActions.start(Arrays.asList(args));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> serve(control, exchange));
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "bench-control");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        System.out.println(ChildJvm.MARK + "CONTROL " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void serve(ControlActions control, HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Object answer;
        int status = 200;
        try {
            answer = switch (exchange.getRequestURI().getPath()) {
                case "/routes" -> control.routes();
                case "/route/start" -> {
                    control.startRoute(query.get("id"));
                    yield Map.of("started", query.get("id"));
                }
                case "/route/stop" -> {
                    control.stopRoute(query.get("id"));
                    yield Map.of("stopped", query.get("id"));
                }
                case "/gc" -> Map.of("live", control.liveHeapAfterGc());
                case "/heap/reset" -> {
                    control.resetHeapPeaks();
                    yield Map.of("reset", true);
                }
                case "/heap" -> control.heapPeaks();
                case "/cpu" -> Map.of("nanos", control.cpu().toNanos());
                case "/request" -> Map.of("nanos", control.request(query.get("uri")).toNanos());
                case "/burst" -> control.burst(query.get("path"), Integer.parseInt(query.get("calls")));
                default -> {
                    status = 404;
                    yield Map.of("error", "no such control " + exchange.getRequestURI().getPath());
                }
            };
        } catch (RuntimeException e) {
            status = 500;
            answer = Map.of("error", String.valueOf(e));
        }
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
