package io.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Switchboard: provisioning and event plumbing for NICE CXone and Genesys Cloud platform teams.
 * Each workflow lives in its own package as one Camel RouteBuilder; {@code io.switchboard.platform}
 * holds what they share (upstream calls, audit, dead letters, the HTTP surface, sandbox mode).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {

    public static void main(String[] args) {
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
