package io.switchboard.routing;

import io.switchboard.platform.upstream.UpstreamException;
import org.apache.camel.Exchange;

/** doCatch predicates: which upstream answer was caught ({@code onWhen(method(UpstreamStatus.class, "notFound"))}). */
public final class UpstreamStatus {

    private UpstreamStatus() {
    }

    public static boolean notFound(Exchange exchange) {
        return is(exchange, 404);
    }

    public static boolean preconditionFailed(Exchange exchange) {
        return is(exchange, 412);
    }

    static boolean is(Exchange exchange, int status) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        return caught instanceof UpstreamException upstream && upstream.status() == status;
    }
}
