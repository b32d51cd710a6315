package io.switchboard.test;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of Switchboard's integration tests: a running service ({@link SwitchboardTest}), an {@link Api}
 * client on its port, and the shared upstream stub server, reset before each test.
 */
@SwitchboardTest
public abstract class IntegrationTestBase {

    @LocalServerPort
    protected int port;

    @Autowired
    protected CamelContext camel;

    @Autowired
    protected ProducerTemplate producer;

    protected Api api;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        TestUpstreams.register(registry);
    }

    @BeforeEach
    void resetUpstreams() {
        TestUpstreams.reset();
        api = new Api(port);
    }

    protected static WireMockServer upstream() {
        return TestUpstreams.server();
    }
}
