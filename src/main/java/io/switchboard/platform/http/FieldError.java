package io.switchboard.platform.http;

/** One offending field of a request: its JSON path ({@code smtpSettings.port}) and what is wrong. */
public record FieldError(String field, String message) {
}
