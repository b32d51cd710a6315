package io.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delivery-report poll: Switchboard with {@code -Xmx128m} follows {@code reportPages} pages of
 * {@code reportPerPage} items (1,000,000 items over 10,000 pages by default) from the CXone stand-in through its
 * real route ({@code direct:email-poll-reports}: upstream call with token and budget, streaming page reader, failed
 * items onto the retry queue), against a raw HTTP fetch of the same pages (java.net.http, bodies read and
 * dropped) from the harness. Reports items/s for both and Switchboard's peak heap during the poll.
 */
final class ReportPollBenchmark {

    static final String ROUTE = "email-poll-reports";
    private static final long LIMIT_BYTES = 128L * 1024 * 1024;

    private final BenchContext context;
    private final BenchSettings settings;
    private final Report report;

    ReportPollBenchmark(BenchContext context) {
        this.context = context;
        this.settings = context.settings;
        this.report = context.report;
    }

    void run() throws Exception {
        int pages = settings.reportPages();
        int perPage = settings.reportPerPage();
        long items = (long) pages * perPage;
        CxoneStandIn cxone = context.cxone;

        cxone.serveReports(Math.max(1, pages / 10), perPage, "raw-warmup");
        rawFetch(cxone, Math.max(1, pages / 10));
        cxone.serveReports(pages, perPage, "raw");
        long rawStarted = System.nanoTime();
        long rawBytes = rawFetch(cxone, pages);
        double rawSeconds = (System.nanoTime() - rawStarted) / 1e9;

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pages", pages);
        details.put("itemsPerPage", perPage);
        details.put("rawSeconds", Math.round(rawSeconds * 100) / 100.0);
        details.put("rawItemsPerSecond", Math.round(items / rawSeconds));
        details.put("rawMegabytes", Report.toMb(rawBytes));
        report.info("report-polling", "raw HTTP fetch of the same pages", Report.count(items / rawSeconds) + " items/s");

        try (BenchContext.Lease lease = context.switchboard("report-polling", settings.reportHeap())) {
            SwitchboardControl switchboard = lease.switchboard;
            if (!switchboard.routes().contains(ROUTE)) {
                report.row("report-polling", "Switchboard poll", "-", "within -Xmx128m", Report.Verdict.SKIPPED);
                details.put("switchboard", "the email workflow (route " + ROUTE + ") is not in this build");
                report.details("report-polling", details);
                return;
            }
            cxone.serveReports(Math.max(1, pages / 10), perPage, "warmup");
            switchboard.request("direct:" + ROUTE);
            cxone.serveReports(pages, perPage, "measured");
            switchboard.liveHeapAfterGc();
            switchboard.resetHeapPeaks();
            Duration took = switchboard.request("direct:" + ROUTE);
            SwitchboardControl.HeapPeaks peaks = switchboard.heapPeaks();
            long served = cxone.pagesServed();
            double seconds = took.toNanos() / 1e9;
            long liveAfter = switchboard.liveHeapAfterGc();
            details.put("switchboardSeconds", Math.round(seconds * 100) / 100.0);
            details.put("switchboardItemsPerSecond", Math.round(items / seconds));
            details.put("pagesServedToSwitchboard", served);
            details.put("heapMaxMb", Report.toMb(peaks.max()));
            details.put("peakHeapUsedMb", Report.toMb(peaks.used()));
            details.put("peakHeapAfterAnyGcMb", Report.toMb(peaks.afterGc()));
            details.put("liveHeapAfterPollMb", Report.toMb(liveAfter));
            details.put("ratioToRaw", Math.round(rawSeconds / seconds * 1000) / 1000.0);
            report.details("report-polling", details);
            boolean complete = served == pages;
            report.row("report-polling", "Switchboard poll, " + Report.count(items) + " items / " + Report.count(pages)
                            + " pages", Report.count(items / seconds) + " items/s (" + Report.decimal(rawSeconds / seconds, 2)
                            + " × raw)", "", complete ? Report.Verdict.INFO : Report.Verdict.FAILED);
            report.row("report-polling", "peak heap used / after any GC ("
                            + (settings.inProcess() ? "in-process smoke run" : "-Xmx" + settings.reportHeap()) + ")",
                    Report.mb(peaks.used()) + " / " + Report.mb(peaks.afterGc()), "within 128 MB",
                    Report.Verdict.of(complete && peaks.used() <= Math.min(LIMIT_BYTES, peaks.max())));
        }
    }

    /** GETs pages 1..n in order, reading each body to the end; returns the bytes read. */
    private static long rawFetch(CxoneStandIn cxone, int pages) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long bytes = 0;
        String base = cxone.baseUrl().substring(0, cxone.baseUrl().length() - "/cxone".length());
        for (int page = 1; page <= pages; page++) {
            URI uri = URI.create(base + CxoneStandIn.REPORTS + (page == 1 ? "" : "?page=" + page));
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer bench-token").header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[16 * 1024];
                int read;
                while ((read = body.read(buffer)) >= 0) {
                    bytes += read;
                }
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("raw fetch of page " + page + ": " + response.statusCode());
            }
        }
        return bytes;
    }
}
