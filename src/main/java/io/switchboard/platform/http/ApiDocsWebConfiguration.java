package io.switchboard.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Swagger UI at {@code /api/docs}, from the swagger-ui webjar inside the jar (works offline), reading
 * {@code /api/openapi.json}. Only {@code swagger-initializer.js} is Switchboard's own (static/api-docs). Open
 * without a key, like the document itself; trying an operation needs one ("Authorize").
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsWebConfiguration implements WebMvcConfigurer {

    static final String PATH = "/api/docs";
    private static final String WEBJAR = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(PATH + "/**")
                .addResourceLocations("classpath:/static/api-docs/",
                        "classpath:/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController(PATH, PATH + "/");
        registry.addViewController(PATH + "/").setViewName("forward:" + PATH + "/index.html");
    }

    static String swaggerUiVersion() {
        try (InputStream in = ApiDocsWebConfiguration.class.getClassLoader().getResourceAsStream(WEBJAR)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
