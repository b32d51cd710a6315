package io.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Spring's error page ({@code /error}) for what fails outside the routes, e.g. a servlet filter whose audit write
 * finds the database down: problem+json like a failure inside them, never the exception's message.
 */
class ProblemErrorControllerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final ProblemErrorController controller = new ProblemErrorController(new Problems(JSON));

    private static MockHttpServletRequest errorDispatch(int status, Throwable failure) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/api/audit");
        if (failure != null) {
            request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
        }
        return request;
    }

    private static JsonNode problem(ResponseEntity<String> answer, int status) throws Exception {
        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getHeaders().getContentType()).hasToString(Problems.MEDIA_TYPE);
        assertThat(answer.getBody()).doesNotContain("hunter2", "Exception", "\tat ");
        JsonNode problem = JSON.readTree(answer.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }

    @Test
    void should_answer_a_filter_that_found_the_database_down_as_a_503_problem() throws Exception {
        ServletException thrown = new ServletException(new CannotGetJdbcConnectionException("Failed to obtain JDBC "
                + "Connection", new SQLTransientConnectionException("password=hunter2: connection is not available")));
        JsonNode problem = problem(controller.error(errorDispatch(500, thrown)), 503);
        assertThat(problem.path("reference").asText()).isNotBlank();
    }

    @Test
    void should_answer_an_unexpected_exception_outside_the_routes_as_a_500_problem_with_a_reference() throws Exception {
        JsonNode problem = problem(controller.error(errorDispatch(500,
                new IllegalStateException("password=hunter2"))), 500);
        assertThat(problem.path("detail").asText()).contains(problem.path("reference").asText());
    }

    @Test
    void should_answer_a_plain_servlet_error_status_as_a_problem() throws Exception {
        problem(controller.error(errorDispatch(503, null)), 503);
        problem(controller.error(new MockHttpServletRequest("GET", "/error")), 500);
    }
}
