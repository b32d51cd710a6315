package io.switchboard.dataactions;

import io.switchboard.platform.http.ProblemException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the create request is sent next, and the redirects CXone answered on the way.
 *
 * <p>CXone's load balancers sometimes answer the create with a redirect. Switchboard follows at most
 * {@link #MAX_FOLLOWS} of them, then answers 502 listing every hop. How each status is followed:
 * <ul>
 *   <li>307 and 308 — the same POST with the same body (RFC 9110 §15.4.8, §15.4.9);</li>
 *   <li>301 and 302 — also the same POST with the same body. RFC 9110 allows a client to switch to
 *       GET here, as browsers do, but that would silently turn "create" into "read": the caller asked
 *       for a data action to be created, so the create goes to the new location;</li>
 *   <li>303 See Other — a GET without body of the new location (RFC 9110 §15.4.4: the create was
 *       handled and its result is over there); its answer is the result.</li>
 * </ul>
 * A redirect is only followed to the origin (scheme, host, port) of the CXone base URL: the bearer
 * token goes with every request, and it must never be handed to another host or over plain HTTP.
 * A relative Location is resolved against the URL that answered.
 */
public final class RedirectTrail {

    /** Redirects followed at most; the next one is answered with 502. */
    public static final int MAX_FOLLOWS = 5;
    static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** One redirect answered by CXone. */
    public record Hop(int status, String from, String location) {
    }

    private final URI origin;
    private URI current;
    private String method = "POST";
    private boolean withBody = true;
    private final List<Hop> hops = new ArrayList<>();
    private boolean arrived;
    private int attempts;

    public RedirectTrail(String firstUrl) {
        this.current = URI.create(firstUrl);
        this.origin = origin(current);
    }

    public static boolean isRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    public String url() {
        return current.toString();
    }

    public String method() {
        return method;
    }

    public boolean withBody() {
        return withBody;
    }

    public boolean arrived() {
        return arrived;
    }

    public void arrive(int attemptsOfThisRequest) {
        attempts += attemptsOfThisRequest;
        arrived = true;
    }

    /** HTTP requests made so far over all hops (retries of 429/5xx included). */
    public int attempts() {
        return attempts;
    }

    public void countAttempts(int attemptsOfThisRequest) {
        attempts += attemptsOfThisRequest;
    }

    public List<Hop> hops() {
        return List.copyOf(hops);
    }

    /**
     * CXone answered {@code status} with {@code location}: the next request goes there, or, when the
     * limit is reached or the redirect cannot be followed safely, a 502 problem naming the hops.
     */
    public void follow(int status, String location) {
        String from = url();
        if (location == null || location.isBlank()) {
            throw badGateway("CXone answered the data action create with " + status
                    + " but no Location header (at " + from + ")", status, location);
        }
        URI next;
        try {
            next = current.resolve(location.trim());
        } catch (IllegalArgumentException malformed) {
            throw badGateway("CXone redirected the data action create to a malformed Location '"
                    + location + "' (" + status + " at " + from + ")", status, location);
        }
        hops.add(new Hop(status, from, next.toString()));
        if (!origin.equals(origin(next))) {
            throw badGateway("CXone redirected the data action create from " + from + " to " + next
                    + ", outside " + origin + "; Switchboard sends its CXone credentials to no other origin",
                    status, location);
        }
        if (hops.size() > MAX_FOLLOWS) {
            throw badGateway(loopDescription(), status, location);
        }
        current = next;
        if (status == 303) {
            method = "GET";
            withBody = false;
        }
    }

    private String loopDescription() {
        List<String> visited = new ArrayList<>();
        visited.add(hops.get(0).from());
        hops.forEach(hop -> visited.add(hop.location()));
        String repeated = visited.stream().filter(url -> visited.indexOf(url) != visited.lastIndexOf(url))
                .findFirst().orElse(null);
        String kind = repeated != null ? "a redirect loop (" + repeated + " keeps coming back)" : "too many redirects";
        return "CXone answered the data action create with " + hops.size() + " redirects in a row, "
                + kind + "; Switchboard follows at most " + MAX_FOLLOWS + ": " + String.join(" → ", visited);
    }

    private ProblemException badGateway(String detail, int status, String location) {
        List<Map<String, Object>> trail = new ArrayList<>();
        for (Hop hop : hops) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", hop.status());
            entry.put("from", hop.from());
            entry.put("location", hop.location());
            trail.add(entry);
        }
        return ProblemException.badGateway(detail)
                .with("upstreamStatus", status)
                .with("redirects", trail);
    }

    private static URI origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
        return URI.create(scheme + "://" + host + ":" + port);
    }
}
