package io.switchboard.platform.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Whatever fails outside the routes (unknown path, wrong method, servlet errors) is problem+json too. */
@RestController
public class ProblemErrorController implements ErrorController {

    private final Problems problems;

    public ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    public ResponseEntity<String> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        if (status == 500 && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            // an exception outside the routes (a servlet filter, Spring MVC): answered like one inside them, so a
            // database that is down is a 503 here too and an unexpected fault carries its log reference
            ProblemException problem = problems.toProblem(failure);
            HttpHeaders headers = new HttpHeaders();
            problem.headers().forEach(headers::add);
            return ResponseEntity.status(problem.status()).headers(headers)
                    .contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE))
                    .body(problems.write(problem));
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved != null ? resolved.getReasonPhrase() : "Error";
        String detail = switch (status) {
            case 404 -> "No such resource: " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            case 405 -> "Method not allowed on " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            default -> title;
        };
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE))
                .body(problems.write(new ProblemException(status, title, detail)));
    }
}
