package io.switchboard.platform.config;

import jakarta.validation.constraints.Min;

/**
 * Connection settings of one contact-center platform ({@code cxone.*} or {@code genesys.*}).
 * Bound by {@link PlatformConfiguration}; the client secret is never logged (see {@link #toString()}).
 */
public class PlatformSettings {

    private final String id;
    private final String displayName;
    private String baseUrl;
    private String tokenUrl;
    private String clientId;
    private String clientSecret;
    private String scope;
    @Min(1)
    private int rateLimitPerMinute = 100;

    public PlatformSettings(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** Short id used in route ids, endpoint names and metric tags: {@code cxone} or {@code genesys}. */
    public String id() {
        return id;
    }

    /** Name used in messages to users: {@code CXone} or {@code Genesys Cloud}. */
    public String displayName() {
        return displayName;
    }

    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public String getTokenUrl() { return tokenUrl; }
    public void setTokenUrl(String tokenUrl) { this.tokenUrl = tokenUrl; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    public String getScope() { return scope; }
    public void setScope(String scope) { this.scope = scope; }
    public int getRateLimitPerMinute() { return rateLimitPerMinute; }
    public void setRateLimitPerMinute(int rateLimitPerMinute) { this.rateLimitPerMinute = rateLimitPerMinute; }

    @Override
    public String toString() {
        return displayName + "{baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                + ", clientSecret=***, rateLimitPerMinute=" + rateLimitPerMinute + "}";
    }
}
