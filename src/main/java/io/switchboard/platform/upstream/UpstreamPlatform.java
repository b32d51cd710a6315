package io.switchboard.platform.upstream;

import io.switchboard.platform.config.PlatformSettings;

/** Everything Switchboard keeps per platform for its calls: settings, token cache, request budget. */
public record UpstreamPlatform(PlatformSettings settings, OAuthTokenSource tokens, RequestBudget budget) {

    public String id() {
        return settings.id();
    }

    public String displayName() {
        return settings.displayName();
    }
}
