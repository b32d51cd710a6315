package io.switchboard.dataactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.http.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the create follows CXone's redirects (plain JUnit). */
class RedirectTrailTest {

    static final String CREATE = "https://api.cxone.example/api/v2/data-actions";

    @Test
    void should_keep_post_and_body_for_301_302_307_and_308() {
        for (int status : new int[] {301, 302, 307, 308}) {
            RedirectTrail trail = new RedirectTrail(CREATE);

            trail.follow(status, "/api/v2/node-b/data-actions");

            assertThat(trail.url()).isEqualTo("https://api.cxone.example/api/v2/node-b/data-actions");
            assertThat(trail.method()).isEqualTo("POST");
            assertThat(trail.withBody()).isTrue();
        }
    }

    @Test
    void should_fetch_the_location_of_a_303_with_get_and_no_body() {
        RedirectTrail trail = new RedirectTrail(CREATE);

        trail.follow(303, "data-actions/da-1");

        assertThat(trail.url()).isEqualTo("https://api.cxone.example/api/v2/data-actions/da-1");
        assertThat(trail.method()).isEqualTo("GET");
        assertThat(trail.withBody()).isFalse();
    }

    @Test
    void should_resolve_relative_locations_against_the_url_that_answered() {
        RedirectTrail trail = new RedirectTrail(CREATE);
        trail.follow(307, "/a/b/c");
        trail.follow(307, "../d?x=1");

        assertThat(trail.url()).isEqualTo("https://api.cxone.example/a/d?x=1");
        assertThat(trail.hops()).extracting(RedirectTrail.Hop::from)
                .containsExactly(CREATE, "https://api.cxone.example/a/b/c");
    }

    @Test
    void should_follow_five_redirects_and_refuse_the_sixth_naming_the_loop() {
        RedirectTrail trail = new RedirectTrail(CREATE);
        for (int i = 0; i < RedirectTrail.MAX_FOLLOWS; i++) {
            trail.follow(302, "/lb");
        }
        assertThat(trail.url()).isEqualTo("https://api.cxone.example/lb");

        assertThatThrownBy(() -> trail.follow(302, "/lb"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(502);
                    assertThat(problem.detail()).contains("redirect loop").contains("https://api.cxone.example/lb")
                            .contains("at most 5");
                    assertThat((List<?>) problem.extensions().get("redirects")).hasSize(6);
                });
    }

    @Test
    void should_call_six_distinct_redirects_too_many_rather_than_a_loop() {
        RedirectTrail trail = new RedirectTrail(CREATE);
        for (int i = 1; i <= RedirectTrail.MAX_FOLLOWS; i++) {
            trail.follow(307, "/hop-" + i);
        }

        assertThatThrownBy(() -> trail.follow(307, "/hop-6"))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.detail()).contains("too many redirects"));
    }

    @Test
    void should_never_follow_to_another_origin_or_down_to_plain_http() {
        for (String location : new String[] {"https://evil.example/x", "http://api.cxone.example/api/v2/data-actions",
                "https://api.cxone.example:8443/x"}) {
            RedirectTrail trail = new RedirectTrail(CREATE);

            assertThatThrownBy(() -> trail.follow(302, location))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> {
                        assertThat(problem.status()).isEqualTo(502);
                        assertThat(problem.detail()).contains("no other origin");
                    });
        }
    }

    @Test
    void should_treat_the_default_port_as_the_same_origin() {
        RedirectTrail trail = new RedirectTrail(CREATE);

        trail.follow(307, "https://API.cxone.example:443/v2");

        assertThat(trail.url()).isEqualTo("https://API.cxone.example:443/v2");
    }

    @Test
    void should_answer_502_for_a_redirect_without_location() {
        RedirectTrail trail = new RedirectTrail(CREATE);

        assertThatThrownBy(() -> trail.follow(302, null))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(502);
                    assertThat(problem.detail()).contains("no Location");
                });
    }
}
