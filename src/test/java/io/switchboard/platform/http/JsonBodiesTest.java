package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte-level checks of a JSON request body, without Spring. */
class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private ProblemException refusal(byte[] body) {
        try {
            bodies.check(body);
        } catch (ProblemException problem) {
            return problem;
        }
        throw new AssertionError("accepted " + new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void should_refuse_an_empty_body() {
        ProblemException problem = refusal(new byte[0]);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail()).isEqualTo("a JSON body is required");
        assertThat(refusal(utf8("  \n")).detail()).isEqualTo("a JSON body is required");
    }

    @Test
    void should_name_the_byte_offset_of_malformed_utf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', 'x', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        ProblemException problem = refusal(body);
        assertThat(problem.detail()).contains("not valid UTF-8").contains("byte offset 7");
        assertThat(problem.extensions()).containsEntry("offset", 7);
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        assertThat(refusal(truncated).detail()).contains("byte offset 6");
    }

    @Test
    void should_strip_a_byte_order_mark_and_count_offsets_from_the_first_byte() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThat(bodies.check(withBom)).isEqualTo(utf8("{}"));
        byte[] badAfterBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '"', (byte) 0x80, '"', ':', '1', '}'};
        assertThat(refusal(badAfterBom).detail()).contains("byte offset 5");
    }

    @Test
    void should_name_a_duplicate_key_by_its_path() {
        ProblemException problem = refusal(utf8("{\"smtpSettings\":{\"port\":25,\"port\":26}}"));
        assertThat(problem.errors()).extracting(FieldError::field).containsExactly("smtpSettings.port");
    }

    @Test
    void should_refuse_what_is_not_one_json_object() {
        for (String body : new String[] {"42", "[]", "\"x\"", "null", "{} {}", "{\"a\":NaN}", "{\"a\":1", "{'a':1}"}) {
            assertThat(refusal(utf8(body)).status()).as(body).isEqualTo(400);
        }
    }

    @Test
    void should_refuse_deep_nesting_and_long_numbers() {
        assertThat(refusal(utf8("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")).detail()).contains("parse limit");
        assertThat(refusal(utf8("{\"a\":1" + "0".repeat(100) + "}")).detail()).contains("parse limit");
    }

    @Test
    void should_refuse_nul_and_unpaired_surrogates_naming_the_field() {
        assertThat(refusal(utf8("{\"name\":\"a\\u0000b\"}")).errors()).extracting(FieldError::field).containsExactly("name");
        assertThat(refusal(utf8("{\"tags\":[\"ok\",\"\\ud800\"]}")).errors()).extracting(FieldError::field)
                .containsExactly("tags[1]");
    }

    @Test
    void should_accept_a_plain_object_as_it_is() {
        byte[] body = utf8("{\"name\":\"Zoë €\",\"n\":-0,\"e\":1e2,\"c\":\"\\u0007\"}  \n");
        assertThat(bodies.check(body)).isSameAs(body);
        assertThatThrownBy(() -> bodies.check(utf8("{\"name\":\"a\u0001b\"}"))).isInstanceOf(ProblemException.class);
    }
}
