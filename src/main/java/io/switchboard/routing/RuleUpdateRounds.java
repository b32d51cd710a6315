package io.switchboard.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.platform.http.ProblemException;
import io.switchboard.platform.json.JsonAnswers;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Optimistic concurrency of an update: each round GETs the rule for its current ETag and PUTs the
 * new version with {@code If-Match}. CXone answers 412 when someone changed the rule in between;
 * then the next round fetches again, up to {@code routing.update-attempts} rounds in all (3), after
 * which the update is a 409 naming the rule and the last ETag tried. 429 and 5xx are not handled
 * here: the shared upstream call retries them inside each GET and PUT.
 */
@Component
public class RuleUpdateRounds {

    private static final Logger LOG = LoggerFactory.getLogger(RuleUpdateRounds.class);

    private final RoutingProperties properties;
    private final ObjectMapper json;
    private final Counter preconditionFailures;

    public RuleUpdateRounds(RoutingProperties properties, ObjectMapper json, MeterRegistry meters) {
        this.properties = properties;
        this.json = json;
        this.preconditionFailures = Counter.builder("switchboard.routing.rules.precondition.failed")
                .description("Routing rule PUTs CXone refused with 412 because the rule changed meanwhile")
                .register(meters);
    }

    /** loopDoWhile: start a round while the rule is neither updated nor out of rounds. */
    public boolean anotherRound(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        return !change.applied && change.rounds < properties.updateAttempts();
    }

    /** doCatch of the GET: the rule to update does not exist. */
    public void ruleNotFound(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        throw ProblemException.notFound("Routing rule '" + change.ruleId + "' does not exist in CXone")
                .with("ruleId", change.ruleId);
    }

    /** The GET answered: its ETag is what this round's PUT must match. */
    public void etagFetched(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        String etag = RuleChanges.responseHeader(exchange, "ETag");
        if (etag == null || etag.isBlank()) {
            throw ProblemException.badGateway("CXone answered routing rule '" + change.ruleId
                    + "' without an ETag; Switchboard only updates rules with If-Match");
        }
        change.rounds++;
        change.etagsSent.add(etag);
    }

    /** Request headers of this round's PUT. */
    public Map<String, String> ifMatch(Exchange exchange) {
        return Map.of("If-Match", RuleChange.of(exchange).lastEtag());
    }

    /** The PUT answered 2xx: CXone's body is the stored rule, with the new ETag. */
    public void applied(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        change.stored = JsonAnswers.upstreamOrNull(json, exchange.getIn(), "the routing rule update");
        change.storedEtag = RuleChanges.responseHeader(exchange, "ETag");
        change.applied = true;
        change.conflict = false;
    }

    /** doCatch of the PUT: 412, the rule changed since this round's GET. */
    public void preconditionFailed(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        change.conflict = true;
        preconditionFailures.increment();
        LOG.info("CXone refused the update of routing rule {} with 412 (If-Match {}), round {} of {}",
                change.ruleId, change.lastEtag(), change.rounds, properties.updateAttempts());
    }

    /** After the rounds: updated, or a 409 that names the conflict. */
    public void conclude(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        if (change.applied) {
            return;
        }
        throw ProblemException.conflict("Routing rule '" + change.ruleId + "' kept changing in CXone: "
                        + change.rounds + " updates in a row were refused with 412 Precondition Failed (last If-Match "
                        + change.lastEtag() + "). Fetch the rule, merge your change and send it again.")
                .with("ruleId", change.ruleId)
                .with("attempts", change.rounds)
                .with("lastEtag", change.lastEtag());
    }

}
