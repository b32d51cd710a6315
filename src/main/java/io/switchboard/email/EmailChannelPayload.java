package io.switchboard.email;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /api/email/channels} (docs/api.md#post-apiemailchannels); validated against
 * {@code config/schemas/email-channel.json} first. {@link #withDefaults()} fills what the caller left out
 * with the values of a typical CXone relay channel.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmailChannelPayload(String name, String type, SmtpSettings smtpSettings,
                                  @JsonProperty("isDefault") Boolean isDefault, Integer maxRetryCount) {

    static final int DEFAULT_TIMEOUT_MS = 15_000;
    static final int DEFAULT_MAX_RETRY_COUNT = 3;

    /** SMTP settings of the relay; {@code password} is a secret (redacted in audit, masked in logs). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SmtpSettings(String server, Integer port, String username, String password, Boolean tlsEnabled,
                               String authMechanism, Integer timeoutMs) {

        SmtpSettings withDefaults() {
            boolean hasUser = username != null && !username.isEmpty();
            return new SmtpSettings(server, port, username == null ? "" : username, password == null ? "" : password,
                    Boolean.TRUE.equals(tlsEnabled), authMechanism != null ? authMechanism : hasUser ? "LOGIN" : "NONE",
                    timeoutMs != null ? timeoutMs : DEFAULT_TIMEOUT_MS);
        }
    }

    public EmailChannelPayload withDefaults() {
        return new EmailChannelPayload(name, type != null ? type : "smtp", smtpSettings.withDefaults(),
                Boolean.TRUE.equals(isDefault), maxRetryCount != null ? maxRetryCount : DEFAULT_MAX_RETRY_COUNT);
    }
}
