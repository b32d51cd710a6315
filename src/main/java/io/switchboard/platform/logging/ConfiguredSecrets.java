package io.switchboard.platform.logging;

import io.switchboard.platform.config.PlatformSettings;
import io.switchboard.platform.config.SwitchboardProperties;
import io.switchboard.platform.security.ApiKeys;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Hands the secrets of the configuration to {@link Secrets} at start-up: the platforms' client secrets
 * (and their {@code client-id:client-secret} Basic credentials), the API keys, the trust-store and
 * database passwords. These are the only values masked by value; everything else is masked by structure.
 */
@Component
public class ConfiguredSecrets {

    public ConfiguredSecrets(List<PlatformSettings> platforms, SwitchboardProperties properties,
                             @Value("${resolver.trust-store-password:}") String resolverTrustStorePassword,
                             @Value("${email.probe.trust-store-password:}") String probeTrustStorePassword,
                             @Value("${spring.datasource.password:}") String databasePassword) {
        List<String> values = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (PlatformSettings platform : platforms) {
            values.add(platform.getClientSecret());
            if (platform.getClientId() != null && platform.getClientSecret() != null) {
                pairs.add(platform.getClientId() + ":" + platform.getClientSecret());
            }
        }
        ApiKeys.parse(properties.apiKeys()).entries().forEach(entry -> values.add(entry.secret()));
        values.add(resolverTrustStorePassword);
        values.add(probeTrustStorePassword);
        values.add(databasePassword);
        Secrets.configure(values, pairs);
    }
}
