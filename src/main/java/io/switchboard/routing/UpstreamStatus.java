package io.switchboard.routing;

import io.switchboard.platform.upstream.UpstreamException;
import org.apache.camel.Predicate;

/** doCatch predicates: which upstream answer was caught ({@code onWhen(UpstreamStatus.NOT_FOUND)}). */
final class UpstreamStatus {

    static final Predicate NOT_FOUND = UpstreamException.answered(status -> status == 404);
    static final Predicate PRECONDITION_FAILED = UpstreamException.answered(status -> status == 412);

    private UpstreamStatus() {
    }
}
