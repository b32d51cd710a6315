package io.switchboard.email;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.SwitchboardApplication;
import java.io.IOException;
import java.io.OutputStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (not a unit test) of the delivery-report poll: the real code path ({@code direct:email-poll-reports}
 * through the shared upstream call, streaming page reader, retry-queue ledger and embedded SQS) against a
 * local CXone stand-in that generates {@code pages} pages of {@code perPage} items on the fly (nothing held).
 * Prints items/s and the peak heap, first for a tenth of the pages, then for all of them: with streaming
 * the peak does not grow with the item count.
 *
 * <pre>
 * mvn -o -q test-compile &amp;&amp; mvn -o -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx128m -cp target/test-classes:target/classes:$(cat cp.txt) io.switchboard.email.ReportPollingBenchmark [pages] [perPage]
 * </pre>
 * Run from the project root (it reads config/). Every 50th item bounced, every 1000th failed.
 */
public final class ReportPollingBenchmark {

    private static final String REPORTS = "/cxone/api/v1/email/delivery/reports";

    private static volatile int pages;
    private static volatile int perPage;
    private static volatile String run = "warmup";
    private static final AtomicLong servedBytes = new AtomicLong();

    private ReportPollingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int totalPages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        perPage = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle and delayed ACKs
        // would add ~40 ms to every page and the benchmark would measure that
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer cxone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        cxone.createContext("/cxone/oauth/token", exchange -> respond(exchange, 200,
                "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":36000}"));
        cxone.createContext(REPORTS, ReportPollingBenchmark::page);
        cxone.setExecutor(Executors.newFixedThreadPool(2));
        cxone.start();
        String base = "http://127.0.0.1:" + cxone.getAddress().getPort() + "/cxone";

        String[] settings = {
                "--server.port=0",
                "--switchboard.sandbox.sqs-port=0",
                "--switchboard.sandbox.simulate-upstreams=false",
                "--spring.datasource.url=jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--cxone.base-url=" + base,
                "--cxone.token-url=" + base + "/oauth/token",
                "--cxone.client-id=bench",
                "--cxone.client-secret=bench-secret",
                "--cxone.rate-limit-per-minute=100000000", // measure Switchboard, not the request budget
                "--email.reports.initial-delay=PT1000H",
                "--email.reports.poll-period=PT1000H",
                "--logging.level.root=WARN",
                "--logging.level.io.switchboard.email.DeliveryReportPoll=INFO"};
        ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class)
                .web(WebApplicationType.SERVLET)
                .run(settings);
        try {
            CamelContext camel = app.getBean(CamelContext.class);
            // the retry route would call CXone for the failed items concurrently; only the poll is measured
            camel.getRouteController().stopRoute("email-retry");
            ProducerTemplate producer = camel.createProducerTemplate();
            System.out.printf("JVM max heap %d MB; %d items per page%n",
                    Runtime.getRuntime().maxMemory() / (1024 * 1024), perPage);
            DeliveryReports reports = app.getBean(DeliveryReports.class);
            measure(producer, reports, Math.max(1, totalPages / 10), "warm-up");
            measure(producer, reports, totalPages, "full");
        } finally {
            app.close();
            cxone.stop(0);
            System.exit(0);
        }
    }

    private static void measure(ProducerTemplate producer, DeliveryReports reports, int pageCount, String name)
            throws Exception {
        pages = pageCount;
        run = name;
        System.gc();
        Thread.sleep(200);
        long heapBefore = usedHeap();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long gcCountBefore = gcCount();
        long gcTimeBefore = gcTime();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        AfterGcPeak afterGc = AfterGcPeak.listen();
        long started = System.nanoTime();
        producer.requestBody("direct:email-poll-reports", (Object) null);
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.stop = true;
        sampler.join();
        afterGc.close();
        long peakPools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakPools += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        Thread.sleep(200);
        DeliverySummary summary = reports.last();
        if (summary.pages() != pageCount) {
            throw new IllegalStateException("the poll did not complete: " + reports.summary());
        }
        long items = summary.items();
        System.out.printf("%-8s %,d pages, %,d items (%,d bounced, %,d failed) in %.1f s: %,.0f items/s, %,.0f pages/s%n",
                name, summary.pages(), items, summary.bounces(), summary.failed(), seconds, items / seconds,
                pageCount / seconds);
        System.out.printf("%-8s heap: peak used %.1f MB (sampled every 20 ms; peak of heap pools %.1f MB), "
                        + "peak live after a GC during the poll %.1f MB, after full GC %.1f MB before / %.1f MB after; "
                        + "%d GCs, %d ms GC time%n",
                name, mb(sampler.peak), mb(peakPools), mb(afterGc.peak), mb(heapBefore), mb(usedHeap()),
                gcCount() - gcCountBefore, gcTime() - gcTimeBefore);
    }

    /** GET /cxone/api/v1/email/delivery/reports[?page=n]: a page generated on the fly. */
    private static void page(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        int page = query != null && query.startsWith("page=") ? Integer.parseInt(query.substring(5)) : 1;
        StringBuilder body = new StringBuilder(perPage * 140 + 200).append("{\"items\":[");
        for (int i = 0; i < perPage; i++) {
            long n = (long) (page - 1) * perPage + i;
            String status = n % 1000 == 999 ? "failed" : n % 50 == 49 ? "bounced" : "delivered";
            body.append(i == 0 ? "" : ",").append("{\"messageId\":\"").append(run).append("-msg-").append(n)
                    .append("\",\"status\":\"").append(status).append("\",\"latencyMs\":").append(500 + n % 700)
                    .append(",\"timestamp\":\"2025-06-02T09:02:17Z\"");
            if (status.equals("bounced")) {
                body.append(",\"bounceCode\":\"550 5.1.1\"");
            }
            body.append('}');
        }
        body.append("],\"pageSize\":").append(perPage).append(",\"totalCount\":").append((long) pages * perPage);
        if (page < pages) {
            body.append(",\"nextPage\":\"").append(REPORTS).append("?page=").append(page + 1).append('"');
        }
        respond(exchange, 200, body.append('}').toString());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        servedBytes.addAndGet(bytes.length);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The largest heap still in use right after any collection: the poll's live set, not garbage. */
    private static final class AfterGcPeak implements NotificationListener, AutoCloseable {
        volatile long peak;

        static AfterGcPeak listen() {
            AfterGcPeak listener = new AfterGcPeak();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
            return listener;
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && info.getGcInfo().getMemoryUsageAfterGc().containsKey(pool.getName())) {
                    used += info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName()).getUsed();
                }
            }
            peak = Math.max(peak, used);
        }

        @Override
        public void close() throws Exception {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(this);
            }
        }
    }

    private static final class HeapSampler extends Thread {
        volatile boolean stop;
        volatile long peak;

        HeapSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                peak = Math.max(peak, usedHeap());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcTime() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
