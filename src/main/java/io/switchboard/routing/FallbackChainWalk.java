package io.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.json.JsonAnswers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Cycle detection through the fallback chain as CXone stores it. The route fetches one rule per
 * loop pass; this bean decides which, and what the chain means:
 * <ul>
 *   <li>The walk starts at the rule's {@code fallbackRuleId} and follows each stored rule's own
 *       {@code fallbackRuleId}, fetching every rule at most once, at most
 *       {@code routing.max-fallback-depth} rules.</li>
 *   <li>Update of rule R: reaching R again is a cycle, spelled out as {@code R → F → … → R}.
 *       A create has no id yet, so no cycle can pass through it.</li>
 *   <li>Meeting a rule already seen (a cycle stored in CXone that the rule would fall into) is
 *       reported too, spelled from that rule round to itself, instead of looping.</li>
 *   <li>A fallback that does not exist (404) is refused: directly as "names a rule that does not
 *       exist", further down as a broken chain. So is a chain longer than the depth bound, because
 *       Switchboard cannot show it ends.</li>
 * </ul>
 * Every finding is a {@link FieldError} on {@code fallbackRuleId}, added to the other problems.
 */
@Component
public class FallbackChainWalk {

    static final String PROPERTY = "SwitchboardRoutingFallbackWalk";
    private static final String ARROW = " → ";

    /** Progress of one walk. */
    static final class Walk {
        final String origin;
        final LinkedHashSet<String> fetched = new LinkedHashSet<>();
        String next;

        Walk(String origin, String next) {
            this.origin = origin;
            this.next = next;
        }
    }

    private final RoutingProperties properties;
    private final ObjectMapper json;

    public FallbackChainWalk(RoutingProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** Starts at the rule's fallback, when it has a well-formed one that is not itself. */
    public void start(Exchange exchange) {
        RuleChange change = RuleChange.of(exchange);
        String fallback = change.rule == null ? null : text(change.rule.path("fallbackRuleId"));
        boolean walkable = fallback != null && RuleChanges.RULE_ID.matcher(fallback).matches()
                && !fallback.equals(change.ruleId);
        String origin = change.kind == RuleChange.Kind.UPDATE ? change.ruleId : null;
        exchange.setProperty(PROPERTY, new Walk(origin, walkable ? fallback : null));
    }

    public boolean hasNext(Exchange exchange) {
        return walk(exchange).next != null;
    }

    /** Upstream path of the next rule to fetch. */
    public String nextPath(Exchange exchange) {
        return RuleChanges.rulePath(walk(exchange).next);
    }

    /** The next rule arrived: follow its own fallback, or conclude. */
    public void fetched(Exchange exchange) {
        Walk walk = walk(exchange);
        RuleChange change = RuleChange.of(exchange);
        String current = walk.next;
        walk.fetched.add(current);
        change.fallbackChain.add(current);
        walk.next = null;
        String fallback = text(storedRule(exchange, current).path("fallbackRuleId"));
        if (fallback == null) {
            return; // the chain ends here: no cycle
        }
        if (fallback.equals(walk.origin)) {
            List<String> cycle = new ArrayList<>();
            cycle.add(walk.origin);
            cycle.addAll(walk.fetched);
            cycle.add(walk.origin);
            problem(change, "creates a fallback cycle: " + String.join(ARROW, cycle));
        } else if (walk.fetched.contains(fallback)) {
            problem(change, "leads into a fallback cycle already stored in CXone: "
                    + String.join(ARROW, cycleFrom(walk, fallback)));
        } else if (!RuleChanges.RULE_ID.matcher(fallback).matches()) {
            problem(change, "leads to a rule Switchboard cannot look up: '" + current
                    + "' falls back to '" + fallback + "'");
        } else if (walk.fetched.size() >= properties.maxFallbackDepth()) {
            problem(change, "leads to a fallback chain longer than " + properties.maxFallbackDepth()
                    + " rules (routing.max-fallback-depth), so Switchboard cannot show it has no cycle: "
                    + String.join(ARROW, walk.fetched) + ARROW + fallback + ARROW + "…");
        } else {
            walk.next = fallback;
        }
    }

    /** CXone answered 404 for the rule the walk asked for. */
    public void missing(Exchange exchange) {
        Walk walk = walk(exchange);
        RuleChange change = RuleChange.of(exchange);
        String absent = walk.next;
        walk.next = null;
        if (walk.fetched.isEmpty()) {
            problem(change, "names a rule that does not exist in CXone ('" + absent + "')");
        } else {
            problem(change, "leads to a broken fallback chain: " + String.join(ARROW, walk.fetched)
                    + ARROW + absent + ", and '" + absent + "' does not exist in CXone");
        }
    }

    private static List<String> cycleFrom(Walk walk, String start) {
        List<String> cycle = new ArrayList<>();
        boolean inCycle = false;
        for (String id : walk.fetched) {
            inCycle |= id.equals(start);
            if (inCycle) {
                cycle.add(id);
            }
        }
        cycle.add(start);
        return cycle;
    }

    private JsonNode storedRule(Exchange exchange, String id) {
        return JsonAnswers.upstreamObject(json, exchange.getIn(), "the fetch of routing rule '" + id + "'");
    }

    private static void problem(RuleChange change, String message) {
        change.errors.add(new FieldError("fallbackRuleId", message));
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static Walk walk(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Walk.class);
    }
}
