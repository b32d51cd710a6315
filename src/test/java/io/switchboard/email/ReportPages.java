package io.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

/** Delivery-report pages for WireMock: {@code /cxone/api/v1/email/delivery/reports[?page=n]}. */
final class ReportPages {

    static final String PATH = "/cxone/api/v1/email/delivery/reports";

    private ReportPages() {
    }

    /** An item: {@code d} delivered, {@code b} bounced (with a bounce code), {@code f} failed. */
    static String item(String messageId, char kind) {
        return switch (kind) {
            case 'd' -> "{\"messageId\":\"" + messageId + "\",\"status\":\"delivered\",\"latencyMs\":700,"
                    + "\"timestamp\":\"2025-06-02T09:02:17Z\"}";
            case 'b' -> "{\"messageId\":\"" + messageId + "\",\"status\":\"bounced\",\"latencyMs\":1200,"
                    + "\"timestamp\":\"2025-06-02T09:02:17Z\",\"bounceCode\":\"550 5.1.1\"}";
            case 'f' -> "{\"messageId\":\"" + messageId + "\",\"status\":\"failed\",\"latencyMs\":30000,"
                    + "\"timestamp\":\"2025-06-02T09:02:17Z\"}";
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /** A page whose items are named {@code prefix-<page>-<i>} and typed by {@code kinds} ("ddbf"). */
    static String page(String prefix, int page, String kinds, String nextPage) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < kinds.length(); i++) {
            items.append(i == 0 ? "" : ",").append(item(prefix + "-" + page + "-" + i, kinds.charAt(i)));
        }
        return "{\"items\":[" + items + "],\"pageSize\":" + kinds.length() + ",\"totalCount\":999"
                + (nextPage == null ? "" : ",\"nextPage\":\"" + nextPage + "\"") + "}";
    }

    static MappingBuilder request(int page) {
        MappingBuilder request = get(urlPathEqualTo(PATH));
        return page == 1 ? request.withQueryParam("page", WireMock.absent())
                : request.withQueryParam("page", WireMock.equalTo(Integer.toString(page)));
    }

    /** Stubs pages 1..n of the given kinds, each pointing at the next with a /cxone-prefixed path. */
    static void stub(WireMockServer server, String prefix, String... kinds) {
        for (int page = 1; page <= kinds.length; page++) {
            String next = page < kinds.length ? PATH + "?page=" + (page + 1) : null;
            server.stubFor(request(page).willReturn(okJson(page(prefix, page, kinds[page - 1], next))));
        }
    }
}
