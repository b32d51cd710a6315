package io.switchboard.platform.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RestRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@code /api} endpoints as the REST DSL declares them (Camel's rest registry): which take a JSON body (those
 * that declare {@code consumes("application/json")}), and the {@code {…}} ids in their paths, each of which must
 * match {@link #PATH_ID}.
 */
@Component
public class ApiEndpoints {

    /** Every id in an {@code /api} path: 1-128 of letters, digits and {@code _ . : ~ -}, not "." or "..". */
    public static final Pattern PATH_ID = Pattern.compile("^(?!\\.{1,2}$)[A-Za-z0-9_.:~-]{1,128}$");

    private record Endpoint(String method, Pattern path, List<String> ids, boolean takesBody) {
    }

    /** One request matched to its endpoint. */
    public record Match(boolean takesBody, List<String> ids, List<String> values) {

        /** A 400 naming the first id of the path that does not match {@link #PATH_ID}. */
        public void checkPathIds() {
            for (int i = 0; i < ids.size(); i++) {
                if (!PATH_ID.matcher(values.get(i)).matches()) {
                    throw ProblemException.invalidField(ids.get(i), "must be 1-128 of A-Z a-z 0-9 _ . : ~ - "
                            + "(got " + (values.get(i).length() > 40 ? values.get(i).length() + " characters" : "'"
                            + values.get(i) + "'") + ")");
                }
            }
        }
    }

    private final ObjectProvider<CamelContext> camel;
    private volatile List<Endpoint> endpoints;

    public ApiEndpoints(ObjectProvider<CamelContext> camel) {
        this.camel = camel;
    }

    /** The endpoint a request is for, or null when none is declared for its method and path. */
    public Match match(String method, String requestUri) {
        for (Endpoint endpoint : endpoints()) {
            if (!endpoint.method().equalsIgnoreCase(method)) {
                continue;
            }
            Matcher matcher = endpoint.path().matcher(requestUri);
            if (matcher.matches()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= matcher.groupCount(); i++) {
                    values.add(matcher.group(i));
                }
                return new Match(endpoint.takesBody(), endpoint.ids(), values);
            }
        }
        return null;
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> known = endpoints;
        if (known != null) {
            return known;
        }
        CamelContext context = camel.getIfAvailable();
        if (context == null) {
            return List.of();
        }
        List<Endpoint> read = new ArrayList<>();
        for (RestRegistry.RestService service : context.getRestRegistry().listAllRestServices()) {
            String template = (service.getBasePath() == null ? "" : service.getBasePath())
                    + (service.getUriTemplate() == null ? "" : service.getUriTemplate());
            List<String> ids = new ArrayList<>();
            StringBuilder regex = new StringBuilder("^");
            Matcher placeholder = Pattern.compile("\\{([^}]+)}").matcher(template);
            int last = 0;
            while (placeholder.find()) {
                regex.append(Pattern.quote(template.substring(last, placeholder.start()))).append("([^/]*)");
                ids.add(placeholder.group(1));
                last = placeholder.end();
            }
            regex.append(Pattern.quote(template.substring(last))).append("/?$");
            String consumes = service.getConsumes() == null ? "" : service.getConsumes().toLowerCase(Locale.ROOT);
            read.add(new Endpoint(service.getMethod(), Pattern.compile(regex.toString()), List.copyOf(ids),
                    consumes.contains("json")));
        }
        read.sort(java.util.Comparator.comparingInt(endpoint -> endpoint.ids().size())); // literal paths first
        if (context.getStatus() == ServiceStatus.Started && !read.isEmpty()) {
            endpoints = List.copyOf(read);
        }
        return read;
    }
}
