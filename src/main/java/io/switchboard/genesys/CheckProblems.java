package io.switchboard.genesys;

import io.switchboard.platform.http.FieldError;
import io.switchboard.platform.http.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The answers of a resolve whose destinations did not pass: 400 refused, 502 failed a check. */
final class CheckProblems {

    /** The {@code check} member of a refusal by the SSRF guard. */
    static final String SSRF = "ssrf";

    private CheckProblems() {
    }

    /** 400: destinations the SSRF guard refused, each named under {@code errors}; nothing was connected. */
    static ProblemException refused(Map<Destination, String> refusals) {
        List<FieldError> errors = refusals.entrySet().stream()
                .map(entry -> new FieldError(entry.getKey().field(), "refused by the SSRF guard: " + entry.getValue()))
                .toList();
        Map.Entry<Destination, String> first = refusals.entrySet().iterator().next();
        String detail = first.getKey().uri() + " is refused: " + first.getValue()
                + " and not inside resolver.allowed-networks"
                + (refusals.size() > 1 ? " (" + (refusals.size() - 1) + " more refused, see errors)" : "");
        return new ProblemException(400, "Destination refused", detail, errors)
                .with("check", SSRF)
                .with("destination", first.getKey().uri());
    }

    /** 502 naming the first failure in request order ({@code check}, {@code destination}) and listing all. */
    static ProblemException failed(List<CheckFailure> failures) {
        CheckFailure first = failures.get(0);
        List<Map<String, String>> all = failures.stream().map(failure -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("destination", failure.destination().uri());
            entry.put("field", failure.destination().field());
            entry.put("check", failure.check());
            entry.put("detail", failure.getMessage());
            return entry;
        }).toList();
        String detail = "The " + first.check() + " check of " + first.destination().uri() + " failed: "
                + first.getMessage();
        return new ProblemException(502, "Destination check failed", detail)
                .with("check", first.check())
                .with("destination", first.destination().uri())
                .with("failures", all);
    }
}
