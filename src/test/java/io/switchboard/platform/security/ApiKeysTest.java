package io.switchboard.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** switchboard.api-keys entries name:secret[:role], and the roles' order. */
class ApiKeysTest {

    @Test
    void should_read_names_secrets_and_roles_with_operator_as_the_default() {
        ApiKeys keys = ApiKeys.parse(" local:sandbox-key:admin, ci:ci-key , ro:ro-key:VIEWER, odd:a:b:c, broken, :x, y:");

        assertThat(keys.find("sandbox-key")).hasValue(new Caller("local", Role.ADMIN));
        assertThat(keys.find("ci-key")).hasValue(new Caller("ci", Role.OPERATOR));
        assertThat(keys.find("ro-key")).hasValue(new Caller("ro", Role.VIEWER));
        assertThat(keys.find("a:b:c")).hasValue(new Caller("odd", Role.OPERATOR));
        assertThat(keys.find("sandbox-key:admin")).isEmpty();
        assertThat(keys.find("")).isEmpty();
        assertThat(keys.find(null)).isEmpty();
        assertThat(keys.entries()).hasSize(4);
        assertThat(keys.entries().toString()).doesNotContain("sandbox-key");
    }

    @Test
    void should_order_the_roles_and_decide_each_call_in_one_place() {
        assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
        assertThat(AccessPolicy.required("GET", "/api/dead-letters")).isEqualTo(Role.VIEWER);
        assertThat(AccessPolicy.required("POST", "/api/email/channels")).isEqualTo(Role.OPERATOR);
        assertThat(AccessPolicy.required("PUT", "/api/routing/rules/r1")).isEqualTo(Role.OPERATOR);
        assertThat(AccessPolicy.required("POST", "/api/dead-letters/abc/redrive")).isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required("POST", "/api/dead-letters/redrive")).isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required("DELETE", "/api/events/subscriptions/s1")).isEqualTo(Role.ADMIN);
    }
}
