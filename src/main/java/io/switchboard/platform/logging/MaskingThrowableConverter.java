package io.switchboard.platform.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback {@code %ex} whose exception messages are masked too (see {@link Secrets}). */
public class MaskingThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Secrets.mask(super.throwableProxyToString(proxy));
    }
}
