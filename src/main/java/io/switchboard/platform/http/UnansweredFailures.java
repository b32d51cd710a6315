package io.switchboard.platform.http;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * The last line of problem+json for the Camel REST endpoints: a failure that leaves a REST route unanswered (a
 * step wired without {@link ApiRouteConfiguration}, or that error handling failing itself) would otherwise reach
 * platform-http, which answers 500 with the Java stack trace as text/plain. Every platform-http consumer gets its
 * route's processor wrapped: once the route is done, an exception still on the exchange is answered by
 * {@link Problems} (500 with a log reference) instead. Routes that answer their failures themselves see no change.
 */
@Component
public class UnansweredFailures implements BeanPostProcessor {

    private final ObjectProvider<Problems> problems;

    public UnansweredFailures(ObjectProvider<Problems> problems) {
        this.problems = problems;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof PlatformHttpEngine engine && !(bean instanceof AnsweringEngine)) {
            return new AnsweringEngine(engine, problems);
        }
        return bean;
    }

    /** The Spring Boot platform-http engine, its consumers' processors wrapped in {@link Answering}. */
    record AnsweringEngine(PlatformHttpEngine engine, ObjectProvider<Problems> problems) implements PlatformHttpEngine {

        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return engine.createConsumer(endpoint, new Answering(processor, problems));
        }

        @Override
        public int getServerPort() {
            return engine.getServerPort();
        }

        @Override
        public String getScheme() {
            return engine.getScheme();
        }
    }

    /** Runs the route, then answers a failure it left unanswered as problem+json. */
    static final class Answering extends DelegateAsyncProcessor {

        private final ObjectProvider<Problems> problems;

        Answering(Processor route, ObjectProvider<Problems> problems) {
            super(route);
            this.problems = problems;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            return super.process(exchange, doneSync -> {
                Exception failure = exchange.getException();
                if (failure != null) {
                    exchange.setException(null);
                    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
                    problems.getObject().answer(exchange);
                }
                callback.done(doneSync);
            });
        }
    }
}
