package io.switchboard.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

/** Caller-chosen callback URLs: no user information ever, https only in profile live. */
class CallerUrlsTest {

    private final CallerUrls sandbox = new CallerUrls(new MockEnvironment());
    private final CallerUrls live = new CallerUrls(new MockEnvironment().withProperty("spring.profiles.active", "live"));

    private static void assertRefused(CallerUrls urls, String url) {
        assertThatThrownBy(() -> urls.check("callbackUrl", url)).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.errors()).extracting(FieldError::field).containsExactly("callbackUrl");
        });
    }

    @ParameterizedTest(name = "{0} is refused everywhere")
    @ValueSource(strings = {"https://user@hooks.example.com/x", "https://user:pw@hooks.example.com/x",
            "http://trusted.example.com@evil.example.net/", "ftp://hooks.example.com/", "hooks.example.com/x",
            "mailto:ops@example.com", "https:///x", "https://bad host/"})
    void should_refuse_user_information_and_other_schemes(String url) {
        assertRefused(sandbox, url);
        assertRefused(live, url);
    }

    @Test
    void should_accept_plain_http_only_outside_profile_live() {
        assertThat(sandbox.check("callbackUrl", "http://localhost:8080/api/webhooks/cxone"))
                .isEqualTo("http://localhost:8080/api/webhooks/cxone");
        assertRefused(live, "http://switchboard.example.com/api/webhooks/cxone");
        assertThat(live.check("callbackUrl", "https://switchboard.example.com/api/webhooks/cxone")).isNotNull();
    }
}
