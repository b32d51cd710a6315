package io.switchboard.email;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Body of {@code POST /api/email/smtp-test}: the reference's {@code TesterRequest}. */
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
