package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.http.FieldError;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The walk's bound: a fallback chain longer than routing.max-fallback-depth is refused, not followed without end. */
class FallbackChainWalkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void should_refuse_a_chain_longer_than_the_depth_bound_after_fetching_that_many_rules() throws Exception {
        FallbackChainWalk walk = new FallbackChainWalk(new RoutingProperties(10, 3, 3), JSON);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        RuleChange change = new RuleChange(RuleChange.Kind.UPDATE, "head", "{}");
        change.rule = JSON.createObjectNode().put("name", "Head").put("fallbackRuleId", "r1");
        exchange.setProperty(RuleChange.PROPERTY, change);

        walk.start(exchange);
        int fetched = 0;
        while (walk.hasNext(exchange)) {
            String path = walk.nextPath(exchange);
            String id = path.substring(path.lastIndexOf('/') + 1);
            int n = Integer.parseInt(id.substring(1));
            exchange.getIn().setBody("{\"id\":\"" + id + "\",\"fallbackRuleId\":\"r" + (n + 1) + "\"}");
            walk.fetched(exchange);
            fetched++;
        }

        assertThat(fetched).isEqualTo(3);
        assertThat(change.errors).extracting(FieldError::field).containsExactly("fallbackRuleId");
        assertThat(change.errors.get(0).message()).contains("longer than 3 rules", "r1 → r2 → r3 → r4 → …");
    }

    @Test
    void should_accept_a_chain_exactly_as_long_as_the_bound() {
        FallbackChainWalk walk = new FallbackChainWalk(new RoutingProperties(10, 2, 3), JSON);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        RuleChange change = new RuleChange(RuleChange.Kind.CREATE, null, "{}");
        change.rule = JSON.createObjectNode().put("name", "New").put("fallbackRuleId", "r1");
        exchange.setProperty(RuleChange.PROPERTY, change);

        walk.start(exchange);
        exchange.getIn().setBody("{\"id\":\"r1\",\"fallbackRuleId\":\"r2\"}");
        walk.fetched(exchange);
        exchange.getIn().setBody("{\"id\":\"r2\"}");
        walk.fetched(exchange);

        assertThat(walk.hasNext(exchange)).isFalse();
        assertThat(change.errors).isEmpty();
        assertThat(change.fallbackChain).containsExactly("r1", "r2");
    }
}
