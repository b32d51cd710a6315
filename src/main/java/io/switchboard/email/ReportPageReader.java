package io.switchboard.email;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one page of {@code GET /api/v1/email/delivery/reports} with Jackson's streaming parser: counts
 * the items into a {@link PollProgress} without building them, and returns only what the poll needs
 * next (the messageIds of this page's failed items and the {@code nextPage} reference).
 *
 * <pre>{"items":[{"messageId","status","latencyMs","timestamp","bounceCode"}...], "pageSize", "totalCount", "nextPage"}</pre>
 */
final class ReportPageReader {

    /** What one page leaves for the poll: failed messageIds (at most a page's worth) and the next page. */
    record Page(List<String> failedMessageIds, String nextPage) {
    }

    /** Longest messageId the retry ledger stores. */
    static final int MAX_MESSAGE_ID_LENGTH = 255;

    private final JsonFactory factory;

    ReportPageReader(JsonFactory factory) {
        this.factory = factory;
    }

    /** The page is JSON, but not an object. */
    static final class NotAnObject extends IOException {
        NotAnObject() {
            super("a delivery report page must be a JSON object");
        }
    }

    Page read(String body, PollProgress progress) throws IOException {
        List<String> failed = new ArrayList<>();
        String nextPage = null;
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new NotAnObject();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                    readItems(parser, progress, failed);
                } else if ("nextPage".equals(field)) {
                    nextPage = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                } else {
                    parser.skipChildren();
                }
            }
        }
        return new Page(failed, nextPage == null || nextPage.isBlank() ? null : nextPage.trim());
    }

    private static void readItems(JsonParser parser, PollProgress progress, List<String> failed) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String messageId = null;
            String status = null;
            String bounceCode = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "messageId" -> messageId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "status" -> status = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "bounceCode" -> bounceCode = value.isScalarValue() && value != JsonToken.VALUE_NULL
                            ? parser.getText() : null;
                    default -> parser.skipChildren();
                }
            }
            count(progress, failed, messageId, status, bounceCode);
        }
    }

    private static void count(PollProgress progress, List<String> failed, String messageId, String status,
                              String bounceCode) {
        progress.items++;
        if ("delivered".equals(status)) {
            progress.delivered++;
        }
        // a bounce: status bounced, or any bounce code (docs/api.md#get-apiemaildeliverysummary)
        if ("bounced".equals(status) || (bounceCode != null && !bounceCode.isEmpty())) {
            progress.bounces++;
        }
        if ("failed".equals(status)) {
            progress.failed++;
            if (messageId == null || messageId.isBlank() || messageId.length() > MAX_MESSAGE_ID_LENGTH) {
                progress.failedWithoutId++;
            } else {
                failed.add(messageId);
            }
        }
    }
}
