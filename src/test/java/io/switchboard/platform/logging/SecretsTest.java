package io.switchboard.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Masking time grows with the text, not with its square: 300 KB of one long word, or of a word repeating a secret's
 * name, is masked in well under the limit here (a 20 KB word took 13 s, a 200 KB body minutes, before the member and
 * assignment patterns were split into a possessive name and its value).
 */
class SecretsTest {

    @Test
    void should_mask_long_words_and_repeated_names_in_linear_time() {
        for (String unit : List.of("y", "a.", "\"a", "password", "password ", "a:", "\"password\":", "token=", "a.a://")) {
            String text = unit.repeat(300_000 / unit.length());
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Secrets.mask(text), "masking [" + unit + "]…");
        }
    }

    @Test
    void should_still_mask_a_secret_after_a_long_word() {
        String word = "x".repeat(200_000);
        assertThat(Secrets.mask(word + " password=hunter22 " + word)).isEqualTo(word + " password=*** " + word);
        assertThat(Secrets.mask("{\"note\":\"" + word + "\",\"clientSecret\":\"s3cr3t-value\"}"))
                .isEqualTo("{\"note\":\"" + word + "\",\"clientSecret\":\"***\"}");
        assertThat(Secrets.mask("a=password=hunter22")).isEqualTo("a=password=***");
        assertThat(Secrets.mask("{\"name\":\"password\":\"hunter22\"}")).isEqualTo("{\"name\":\"password\":\"***\"}");
        assertThat(Secrets.mask("{\"callbackUrl\":\"https://h/x?token=abc\",\"tokenType\":\"Bearer\"}"))
                .isEqualTo("{\"callbackUrl\":\"https://h/x?token=***\",\"tokenType\":\"Bearer\"}");
    }
}
