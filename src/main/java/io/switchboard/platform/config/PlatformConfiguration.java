package io.switchboard.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/** Binds {@code cxone.*} and {@code genesys.*} to one {@link PlatformSettings} bean each. */
@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

    @Bean
    @Validated
    @ConfigurationProperties("cxone")
    public PlatformSettings cxone() {
        return new PlatformSettings("cxone", "CXone");
    }

    @Bean
    @Validated
    @ConfigurationProperties("genesys")
    public PlatformSettings genesys() {
        return new PlatformSettings("genesys", "Genesys Cloud");
    }
}
