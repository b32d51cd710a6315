package io.switchboard.events;

import org.apache.camel.Exchange;

/**
 * Passes a failure of another route on as a failure of the calling step. Camel would not let it through as is:
 * the called route's error handler leaves its verdict on the exchange (failure claimed, not handled, redelivery
 * exhausted), so the caller's redelivery policy never applies; and an exception thrown inside a {@code doCatch}
 * bypasses the route's error handler altogether. So
 * {@code doCatch} only {@link #remember}s what was caught, and {@link #rethrowRemembered}, after the try block,
 * raises it again as a fresh failure.
 */
public final class Failures {

    static final String FAILURE = "SwitchboardRememberedFailure";

    private Failures() {
    }

    /** Route step inside {@code doCatch}: keep what was caught. */
    public static void remember(Exchange exchange) {
        exchange.setProperty(FAILURE, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** Route step after the try block: fail with what {@link #remember} kept, if anything. */
    public static void rethrowRemembered(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(FAILURE, Throwable.class);
        if (failure == null) {
            return;
        }
        exchange.removeProperty(FAILURE);
        // the called route's error handler ruled on it (claimed, not handled, exhausted): this failure is new
        var extension = exchange.getExchangeExtension();
        extension.setRedeliveryExhausted(false);
        extension.setFailureHandled(false);
        extension.setErrorHandlerHandled(null);
        if (failure instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException("route " + exchange.getFromRouteId() + " failed", failure);
    }
}
