package io.switchboard.platform.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * In profile {@code live}, refuse to start when a required setting is absent, naming every missing key
 * (with its environment-variable spelling) at once rather than failing on the first one at runtime.
 */
public class LiveSettingsCheck implements EnvironmentPostProcessor, Ordered {

    static final List<String> REQUIRED = List.of(
            "switchboard.api-keys",
            "spring.datasource.url",
            "aws.region",
            "cxone.base-url", "cxone.token-url", "cxone.client-id", "cxone.client-secret",
            "genesys.base-url", "genesys.token-url", "genesys.client-id", "genesys.client-secret");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.acceptsProfiles(Profiles.of("live"))) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED) {
            String value = env.getProperty(key);
            if (value == null || value.isBlank()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
    }

    /** Environment-variable spelling of a key, as config/application-live.yaml reads it (CXONE_BASE_URL). */
    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Raised at start-up; {@link MissingSettingsFailureAnalyzer} prints it one key per line. */
    public static class MissingSettingsException extends RuntimeException {
        private final List<String> keys;

        MissingSettingsException(List<String> keys) {
            super("Missing required settings for profile 'live': " + String.join(", ", keys));
            this.keys = List.copyOf(keys);
        }

        public List<String> keys() {
            return keys;
        }
    }
}
