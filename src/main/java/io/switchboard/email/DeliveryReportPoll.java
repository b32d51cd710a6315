package io.switchboard.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.config.PlatformSettings;
import io.switchboard.platform.json.JsonAnswers;
import io.switchboard.platform.logging.Secrets;
import io.switchboard.platform.upstream.UnreadableAnswerException;
import io.switchboard.platform.upstream.Upstream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The steps of one delivery-report poll ({@code direct:email-poll-reports}): start at the first page,
 * read each page as it comes (counters only), follow {@code nextPage} to the end, then publish the
 * summary and metrics. The failed items of each page go to the retry queue before the next page is read.
 */
@Component
public class DeliveryReportPoll {

    static final String PROGRESS = "SwitchboardEmailPollProgress";
    static final String REPORTS_PATH = "/api/v1/email/delivery/reports";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReportPoll.class);

    private final PlatformSettings cxone;
    private final EmailProperties properties;
    private final DeliveryReports reports;
    private final ReportPageReader reader;
    private final RetryQueueLedger ledger;
    private final ObjectMapper json;
    private final Clock clock;

    public DeliveryReportPoll(@Qualifier("cxone") PlatformSettings cxone, EmailProperties properties,
                              DeliveryReports reports, RetryQueueLedger ledger, ObjectMapper json, Clock clock) {
        this.cxone = cxone;
        this.properties = properties;
        this.reports = reports;
        this.ledger = ledger;
        this.reader = new ReportPageReader(json.getFactory());
        this.json = json;
        this.clock = clock;
    }

    /** Route step: a new poll, starting at the first page (no page parameter). */
    public void start(Exchange exchange) {
        String base = Objects.requireNonNull(cxone.getBaseUrl(), "cxone.base-url is not configured");
        URI first = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + REPORTS_PATH);
        exchange.setProperty(PROGRESS, new PollProgress(first, clock.instant()));
    }

    /** loopDoWhile predicate: is there a page left to read? */
    public boolean hasNextPage(Exchange exchange) {
        return progress(exchange).nextPage != null;
    }

    /** Route step: the GET of the next page, as an absolute URL under the CXone base URL. */
    public void requestPage(Exchange exchange) {
        PollProgress progress = progress(exchange);
        if (progress.pages >= properties.reports().maxPages()) {
            throw new IllegalStateException("the delivery report has more than email.reports.max-pages ("
                    + properties.reports().maxPages() + ") pages; is nextPage going round in a loop?");
        }
        progress.currentPage = progress.nextPage;
        progress.nextPage = null;
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Upstream.METHOD, "GET");
        exchange.getIn().setHeader(Upstream.PATH, progress.currentPage.toString());
        exchange.getIn().setBody(null);
    }

    /**
     * Route step: count the page's items; the body becomes the messageIds of its failed items. A page that is not
     * a JSON object (an HTML maintenance page with 200, JSON cut short, an empty body) is the platform's failure
     * ({@link UnreadableAnswerException}); the poll stops there and the previous summary stays.
     */
    public List<String> readPage(Exchange exchange) throws IOException {
        PollProgress progress = progress(exchange);
        long before = progress.items;
        String body = exchange.getIn().getBody(String.class);
        if (body == null || body.isBlank()) {
            throw UnreadableAnswerException.of(exchange.getIn(), "a delivery report page", "an empty body where JSON was expected");
        }
        ReportPageReader.Page page;
        try {
            page = reader.read(body, progress);
        } catch (JsonProcessingException notJson) {
            throw JsonAnswers.notJson(exchange.getIn(), "a delivery report page", notJson);
        } catch (ReportPageReader.NotAnObject notAnObject) {
            throw UnreadableAnswerException.of(exchange.getIn(), "a delivery report page", "JSON that is not an object");
        }
        progress.pages++;
        progress.nextPage = next(progress, page.nextPage());
        reports.pageRead(progress.items - before);
        exchange.getIn().removeHeaders("*");
        return page.failedMessageIds();
    }

    /** Route step before the retry queue: the SQS message of one failed delivery. */
    public String retryMessage(Exchange exchange) throws IOException {
        String messageId = exchange.getIn().getBody(String.class);
        exchange.getIn().removeHeaders("*");
        return json.writeValueAsString(Map.of("messageId", messageId));
    }

    /** Route step after the retry queue took a failed delivery. */
    public void queued(Exchange exchange) {
        PollProgress progress = exchange.getProperty(PROGRESS, PollProgress.class);
        if (progress != null) {
            progress.queued++;
        }
        reports.queued();
    }

    /** Route step: every page read; publish the summary, warn about a high bounce rate. */
    public DeliverySummary complete(Exchange exchange) {
        PollProgress progress = progress(exchange);
        DeliverySummary summary = progress.summary(clock.instant());
        reports.completed(summary);
        LOG.info("Delivery reports polled: {} items on {} pages, {} delivered, {} bounced ({}%), {} failed ({} newly queued for retry)",
                summary.items(), summary.pages(), summary.delivered(), summary.bounces(),
                String.format("%.2f", summary.bounceRate()), summary.failed(), progress.queued);
        if (progress.failedWithoutId > 0) {
            LOG.warn("{} failed delivery item(s) carry no usable messageId and cannot be retried", progress.failedWithoutId);
        }
        int forgotten = ledger.forgetQueuedBefore(summary.polledAt().minus(properties.retry().dedupRetention()));
        if (forgotten > 0) {
            LOG.info("Forgot {} retry-queue entries older than email.retry.dedup-retention", forgotten);
        }
        double threshold = properties.reports().bounceWarningPercent();
        if (summary.bounceRate() > threshold) {
            LOG.warn("Email bounce rate {}% is above {}% ({} of {} deliveries bounced): sender reputation at risk",
                    String.format("%.2f", summary.bounceRate()), threshold, summary.bounces(), summary.items());
        }
        return summary;
    }

    /** Route step when a page still failed after the shared retries: the previous summary stays. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PollProgress progress = exchange.getProperty(PROGRESS, PollProgress.class);
        String error = Secrets.mask(failure == null ? "unknown" : failure.getMessage() != null
                ? failure.getMessage() : failure.getClass().getSimpleName());
        reports.failed(clock.instant(), error);
        LOG.warn("Delivery report poll failed at page {} ({}); the previous summary stays in place: {}",
                progress == null ? 0 : progress.pages + 1,
                progress == null || progress.currentPage == null ? "-" : progress.currentPage, error);
    }

    /**
     * Where {@code nextPage} leads: a path such as {@code /cxone/api/v1/email/delivery/reports?page=2} (or a
     * URL) resolved against the current page, or a bare page token sent as {@code ?page=}. It must stay on
     * the CXone host: Switchboard's token is never sent anywhere else.
     */
    URI next(PollProgress progress, String nextPage) {
        if (nextPage == null) {
            return null;
        }
        URI next;
        try {
            if (nextPage.contains("/") || nextPage.contains("?")) {
                next = progress.currentPage.resolve(new URI(nextPage));
            } else {
                next = new URI(progress.firstPage + "?page=" + URLEncoder.encode(nextPage, StandardCharsets.UTF_8));
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("CXone answered a nextPage that is not a URL or path: " + nextPage, e);
        }
        if (!sameOrigin(next, progress.firstPage)) {
            throw new IllegalStateException("CXone's nextPage leads off the CXone host (" + next.getScheme() + "://"
                    + next.getAuthority() + "); not following it");
        }
        if (next.equals(progress.currentPage)) {
            throw new IllegalStateException("CXone's nextPage points at the page just read: " + next);
        }
        return next;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static PollProgress progress(Exchange exchange) {
        PollProgress progress = exchange.getProperty(PROGRESS, PollProgress.class);
        if (progress == null) {
            throw new IllegalStateException("no delivery report poll in progress on this exchange");
        }
        return progress;
    }
}
