package io.switchboard.routing;

import org.apache.camel.Exchange;

/**
 * Makes a failure the workflow has caught in a {@code doCatch} an ordinary, finished event again.
 *
 * <p>When an error handler gives up on an exchange (the default one of {@code direct:cxone}, or the
 * upstream retry policy after its last attempt, which does not handle the failure) Camel marks the
 * exchange "failure handled" and "error handler handled: no", and {@code doCatch} clears neither.
 * Left set, the next upstream call on the same exchange is not retried (429/5xx after a caught 412
 * or 404), and a failure thrown later is not answered by the API error handler: its
 * {@code handled(true)} is overridden by the earlier "no" and the caller gets an empty 500 instead of
 * problem+json. Every doCatch of this workflow calls {@link #clear} first.
 */
final class CaughtFailures {

    private CaughtFailures() {
    }

    static void clear(Exchange exchange) {
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
    }
}
