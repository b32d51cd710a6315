package io.switchboard.dataactions;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** data-actions.* settings: defaults, and what a start-up refuses (plain JUnit + Bean Validation). */
class DataActionsPropertiesTest {

    private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void should_default_to_no_webhook_and_five_callback_attempts() {
        DataActionsProperties properties = new DataActionsProperties(null, null);

        assertThat(properties.callbacksEnabled()).isFalse();
        assertThat(properties.callback().maxAttempts()).isEqualTo(5);
        assertThat(properties.callback().initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(validator.validate(properties)).isEmpty();
    }

    @Test
    void should_accept_http_and_https_webhooks() {
        assertThat(validator.validate(new DataActionsProperties("https://hooks.example.com/x", null))).isEmpty();
        assertThat(new DataActionsProperties(" http://127.0.0.1:8089/hooks ", null).webhookUrl())
                .isEqualTo("http://127.0.0.1:8089/hooks");
    }

    @Test
    void should_refuse_a_webhook_that_is_not_an_http_url_and_zero_attempts() {
        assertThat(validator.validate(new DataActionsProperties("ftp://hooks.example.com", null))).hasSize(1);
        assertThat(validator.validate(new DataActionsProperties("",
                new DataActionsProperties.Callback(0, null, null, null, null, null)))).hasSize(1);
    }
}
