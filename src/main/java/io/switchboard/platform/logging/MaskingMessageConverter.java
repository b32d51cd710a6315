package io.switchboard.platform.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback {@code %msg} that masks secrets (see {@link Secrets}); wired in logback-spring.xml. */
public class MaskingMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.mask(super.convert(event));
    }
}
