package io.switchboard.platform.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The query parameters of the API's listings (offset, limit, time bounds): each read, or a {@link FieldError} naming
 * it added to the caller's list, so that one 400 names every problem of the query.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    public static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent (or wrong). */
    public static int wholeNumber(String value, String field, int fallback, int min, int max, List<FieldError> errors) {
        if (blank(value)) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(field, max == Integer.MAX_VALUE ? "must be a whole number of at least " + min
                : "must be a whole number from " + min + " to " + max));
        return fallback;
    }

    /** An ISO-8601 UTC instant; null when absent (or wrong). */
    public static Instant instant(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 UTC timestamp such as 2026-01-31T12:00:00Z"));
            return null;
        }
    }
}
