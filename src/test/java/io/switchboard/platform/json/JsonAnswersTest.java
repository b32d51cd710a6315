package io.switchboard.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.platform.upstream.UnreadableAnswerException;
import io.switchboard.platform.upstream.Upstream;
import java.util.Map;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** Reading answers that may not be JSON, the one way every workflow does it (plain JUnit). */
class JsonAnswersTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void should_read_json_and_give_null_for_nothing_or_not_json() {
        assertThat(JsonAnswers.readOrNull(json, "{\"id\":\"a-1\"}").path("id").asText()).isEqualTo("a-1");
        assertThat(JsonAnswers.readOrNull(json, null)).isNull();
        assertThat(JsonAnswers.readOrNull(json, "  ")).isNull();
        assertThat(JsonAnswers.readOrNull(json, "<html>bad gateway</html>")).isNull();
    }

    @Test
    void should_keep_text_that_is_not_json_for_the_audit() {
        assertThat(JsonAnswers.readOrText(json, "[1,2]")).isInstanceOf(JsonNode.class);
        assertThat(JsonAnswers.readOrText(json, "plain words")).isEqualTo("plain words");
        assertThat(JsonAnswers.readOrText(json, "")).isNull();
    }

    @Test
    void should_read_a_member_or_fall_back() {
        assertThat(JsonAnswers.member(json, "{\"id\":\"x\",\"blank\":\" \",\"obj\":{}}", "id", "f")).isEqualTo("x");
        assertThat(JsonAnswers.member(json, "{\"id\":\"x\",\"blank\":\" \",\"obj\":{}}", "blank", "f")).isEqualTo("f");
        assertThat(JsonAnswers.member(json, "{\"id\":\"x\",\"blank\":\" \",\"obj\":{}}", "obj", "f")).isEqualTo("f");
        assertThat(JsonAnswers.member(json, "not json", "id", null)).isNull();
    }

    /** A message as {@code direct:cxone} leaves it: the answer's body, status, headers and platform. */
    private static Message answer(int status, String contentType, String body) {
        Message message = new DefaultMessage(new DefaultCamelContext());
        message.setHeader(Upstream.PLATFORM, "CXone");
        message.setHeader(Upstream.STATUS, status);
        message.setHeader(Upstream.RESPONSE_HEADERS, contentType == null ? Map.of() : Map.of("Content-Type", contentType));
        message.setBody(body);
        return message;
    }

    @Test
    void should_read_a_platform_answer_that_is_json() {
        assertThat(JsonAnswers.upstreamObject(json, answer(201, "application/json", "{\"id\":\"a-1\"}"), "the create")
                .path("id").asText()).isEqualTo("a-1");
        assertThat(JsonAnswers.upstreamJson(json, answer(200, "application/json", "[1]"), "the list").isArray()).isTrue();
        assertThat(JsonAnswers.upstreamOrNull(json, answer(204, null, ""), "the update")).isNull();
        assertThat(JsonAnswers.upstreamOrNull(json, answer(201, null, null), "the update")).isNull();
    }

    @Test
    void should_refuse_a_platform_answer_that_is_not_json_naming_the_platform_and_status_but_nothing_of_the_body() {
        assertThatThrownBy(() -> JsonAnswers.upstreamObject(json, answer(200, "text/html", "<html>maintenance</html>"),
                "the data action create"))
                .isInstanceOfSatisfying(UnreadableAnswerException.class, unreadable -> {
                    assertThat(unreadable.platform()).isEqualTo("CXone");
                    assertThat(unreadable.status()).isEqualTo(200);
                    assertThat(unreadable.isRetryable()).isFalse();
                    assertThat(unreadable.responseBody()).isNull();
                    assertThat(unreadable.getCause()).isNull();
                    assertThat(unreadable.getMessage()).isEqualTo("CXone answered 200 to the data action create with a "
                            + "body that is not JSON (parsing failed at line 1, column 1; Content-Type text/html)");
                });
    }

    @Test
    void should_refuse_json_cut_short_or_followed_by_more_and_an_empty_body_where_json_is_expected() {
        assertThatThrownBy(() -> JsonAnswers.upstreamOrNull(json, answer(201, "application/json", "{\"id\":\"rule-"), "x"))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("not JSON")
                .hasMessageNotContaining("rule-");
        assertThatThrownBy(() -> JsonAnswers.upstreamOrNull(json, answer(200, "application/json", "{}<html>"), "x"))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> JsonAnswers.upstreamJson(json, answer(201, null, " "), "x"))
                .isInstanceOf(UnreadableAnswerException.class)
                .hasMessage("CXone answered 201 to x with an empty body where JSON was expected");
        assertThatThrownBy(() -> JsonAnswers.upstreamObject(json, answer(200, "application/json", "[\"a\"]"), "x"))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageEndingWith("JSON that is not an object (an array)");
    }
}
