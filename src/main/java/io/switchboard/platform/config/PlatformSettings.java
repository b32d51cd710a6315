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
    private String scopes;
    @jakarta.validation.constraints.Pattern(regexp = "basic|post|auto",
            message = "must be basic (HTTP Basic), post (in the form) or auto (Basic, else the form once)")
    private String tokenAuthMethod = "auto";
    @Min(1)
    private int rateLimitPerMinute = 100;
    /** An HTTP caller whose turn in the budget is further off than this is answered 429 at once. */
    private java.time.Duration maxBudgetWait = java.time.Duration.ofSeconds(25);

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
    /** Scopes asked for in the token request, space or comma separated (blank: none sent). */
    public String getScopes() { return scopes; }
    public void setScopes(String scopes) { this.scopes = scopes; }
    /** How the token request authenticates the client: {@code basic}, {@code post} or {@code auto}. */
    public String getTokenAuthMethod() { return tokenAuthMethod; }
    public void setTokenAuthMethod(String tokenAuthMethod) { this.tokenAuthMethod = tokenAuthMethod; }
    public int getRateLimitPerMinute() { return rateLimitPerMinute; }
    public void setRateLimitPerMinute(int rateLimitPerMinute) { this.rateLimitPerMinute = rateLimitPerMinute; }
    public java.time.Duration getMaxBudgetWait() { return maxBudgetWait; }
    public void setMaxBudgetWait(java.time.Duration maxBudgetWait) { this.maxBudgetWait = maxBudgetWait; }

    @Override
    public String toString() {
        return displayName + "{baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                + ", clientSecret=***, tokenAuthMethod=" + tokenAuthMethod + ", scopes=" + scopes
                + ", rateLimitPerMinute=" + rateLimitPerMinute + "}";
    }
}
