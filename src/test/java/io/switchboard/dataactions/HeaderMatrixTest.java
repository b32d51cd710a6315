package io.switchboard.dataactions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The header matrix is measured as CXone's gateway counts it: Σ len(name) + len(value) + 4 (plain JUnit). */
class HeaderMatrixTest {

    @Test
    void should_count_name_value_and_four_bytes_per_header() {
        HeaderMatrix matrix = HeaderMatrix.of("abc", "tok", true);

        int expected = ("Content-Type".length() + "application/json".length() + 4)
                + ("Accept".length() + "application/json".length() + 4)
                + ("X-Correlation-ID".length() + 3 + 4)
                + ("X-Request-Source".length() + "switchboard-data-actions".length() + 4)
                + ("Authorization".length() + "Bearer tok".length() + 4);
        assertThat(matrix.bytes()).isEqualTo(expected);
        assertThat(matrix.correlationIdBytes()).isEqualTo(3);
    }

    @Test
    void should_leave_out_content_type_without_a_body() {
        assertThat(HeaderMatrix.of("abc", "tok", true).bytes() - HeaderMatrix.of("abc", "tok", false).bytes())
                .isEqualTo("Content-Type".length() + "application/json".length() + 4);
        assertThat(HeaderMatrix.of("abc", "tok", false).headers()).doesNotContainKey("Content-Type");
    }

    @Test
    void should_fit_at_8192_bytes_and_not_at_8193() {
        int others = HeaderMatrix.of("", "tok", true).bytes();
        HeaderMatrix atLimit = HeaderMatrix.of("x".repeat(8192 - others), "tok", true);
        HeaderMatrix overLimit = HeaderMatrix.of("x".repeat(8193 - others), "tok", true);

        assertThat(atLimit.bytes()).isEqualTo(8192);
        assertThat(atLimit.fits()).isTrue();
        assertThat(overLimit.bytes()).isEqualTo(8193);
        assertThat(overLimit.fits()).isFalse();
        assertThat(overLimit.maxCorrelationIdBytes()).isEqualTo(8192 - others);
    }

    @Test
    void should_count_bytes_not_characters() {
        assertThat(HeaderMatrix.of("é", "tok", true).correlationIdBytes()).isEqualTo(2);
    }

    @Test
    void should_hand_the_mechanism_only_the_workflow_headers() {
        assertThat(HeaderMatrix.of("abc", "tok", true).workflowHeaders())
                .containsOnlyKeys("X-Correlation-ID", "X-Request-Source")
                .containsEntry("X-Correlation-ID", "abc");
    }
}
