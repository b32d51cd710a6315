package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void aWholeNumberInRangeIsRead_anAbsentOneFallsBack() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(QueryParameters.wholeNumber(" 20 ", "limit", 50, 1, 500, errors)).isEqualTo(20);
        assertThat(QueryParameters.wholeNumber(null, "limit", 50, 1, 500, errors)).isEqualTo(50);
        assertThat(QueryParameters.wholeNumber("", "offset", 0, 0, Integer.MAX_VALUE, errors)).isZero();
        assertThat(errors).isEmpty();
    }

    @Test
    void everyWrongNumberIsNamedWithItsRange() {
        List<FieldError> errors = new ArrayList<>();
        QueryParameters.wholeNumber("501", "limit", 50, 1, 500, errors);
        QueryParameters.wholeNumber("ten", "limit", 50, 1, 500, errors);
        QueryParameters.wholeNumber("-1", "offset", 0, 0, Integer.MAX_VALUE, errors);
        QueryParameters.wholeNumber("99999999999", "offset", 0, 0, Integer.MAX_VALUE, errors);
        assertThat(errors).containsExactly(
                new FieldError("limit", "must be a whole number from 1 to 500"),
                new FieldError("limit", "must be a whole number from 1 to 500"),
                new FieldError("offset", "must be a whole number of at least 0"),
                new FieldError("offset", "must be a whole number of at least 0"));
    }

    @Test
    void anInstantIsIso8601Utc() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(QueryParameters.instant("2026-01-31T12:00:00Z", "before", errors))
                .isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(QueryParameters.instant(" ", "before", errors)).isNull();
        assertThat(QueryParameters.instant("yesterday", "after", errors)).isNull();
        assertThat(errors).containsExactly(
                new FieldError("after", "must be an ISO-8601 UTC timestamp such as 2026-01-31T12:00:00Z"));
    }
}
