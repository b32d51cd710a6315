package io.switchboard.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the operator console: {@code src/main/resources/static/console} (plain HTML, one script, one style sheet;
 * nothing fetched from elsewhere) at {@code /console}. The pages hold no data of their own: they call the
 * {@code /api} endpoints with the key the operator signed in with.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
