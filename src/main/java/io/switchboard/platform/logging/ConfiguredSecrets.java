package io.switchboard.platform.logging;

import io.switchboard.platform.config.PlatformSettings;
import io.switchboard.platform.config.SwitchboardProperties;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Registers the secrets of the configuration with {@link Secrets} at start-up. */
@Component
public class ConfiguredSecrets {

    public ConfiguredSecrets(List<PlatformSettings> platforms, SwitchboardProperties properties,
                             @Value("${resolver.trust-store-password:}") String trustStorePassword,
                             @Value("${spring.datasource.password:}") String databasePassword) {
        platforms.forEach(p -> Secrets.register(p.getClientSecret()));
        properties.operatorsBySecret().keySet().forEach(Secrets::register);
        Secrets.register(trustStorePassword);
        Secrets.register(databasePassword);
    }
}
