package io.switchboard.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A whole Switchboard in the test JVM: the real HTTP port (random), the embedded SQS server on a free
 * port, a fresh in-memory H2 database migrated by Flyway, and upstreams pointed at {@link TestUpstreams}
 * (via {@link IntegrationTestBase}). Test classes with the same extra properties share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.sandbox.sqs-port=0",
        "switchboard.sandbox.simulate-upstreams=false",
        "spring.datasource.url=jdbc:h2:mem:switchboard-${random.uuid};MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "switchboard.api-keys=tester:test-key-0001:admin,auditor:test-key-0002,watcher:test-key-0003:viewer",
        "cxone.rate-limit-per-minute=100000",
        "genesys.rate-limit-per-minute=100000",
        "upstream.initial-delay=PT0.02S",
        "upstream.max-delay=PT0.2S",
        "upstream.max-retry-after=PT5S",
        "upstream.read-timeout=PT2S",
        "email.reports.poll-period=PT1H",
        "email.reports.initial-delay=PT1H",
        "email.retry.initial-delay=PT0.05S",
        "email.retry.max-delay=PT0.2S",
        // stopping a context waits for each SQS receive in progress (Camel counts a consumer in its poll as a
        // pending exchange): both consumers long-poll 1 s here (events.wait-time-seconds is 1), not the retry
        // queue's 5 s, so that a context closed during the run (@DirtiesContext) stops within seconds
        "email.retry.wait-time-seconds=1",
        // cached contexts are not stopped at JVM exit: Spring Boot's shutdown hook would stop them one after the
        // other, a few seconds each (the receives above, then each seda consumer's 1 s poll), well past Surefire's
        // 30 s exit limit; nothing of theirs outlives the JVM (in-memory H2, embedded SQS, free ports), and schemas
        // a test creates elsewhere are dropped by the test itself (@AfterAll)
        "spring.main.register-shutdown-hook=false",
        "events.resequence-window=PT0.3S"
})
public @interface SwitchboardTest {
}
