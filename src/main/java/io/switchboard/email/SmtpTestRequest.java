package io.switchboard.email;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of {@code POST /api/email/smtp-test} (docs/api.md#post-apiemailsmtp-test). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SmtpTestRequest(String server, Integer port, String username, String password, Boolean tlsEnabled) {

    public int portOrZero() {
        return port == null ? 0 : port;
    }

    public boolean tls() {
        return Boolean.TRUE.equals(tlsEnabled);
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && password != null && !password.isEmpty();
    }
}
