package io.switchboard.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
