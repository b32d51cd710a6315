package io.switchboard.platform.net;

import io.switchboard.platform.http.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Checks every URL a caller chooses for something to be called back at (the routing webhook's
 * {@code callbackUrl}): an absolute http(s) URL with a host and no user information
 * ({@code https://trusted@evil}, or a password a log would keep), and {@code https} only in profile
 * {@code live}. A refusal is a 400 naming the caller's field.
 */
@Component
public class CallerUrls {

    private final boolean httpsOnly;

    @Autowired
    public CallerUrls(Environment environment) {
        this(environment.acceptsProfiles(Profiles.of("live")));
    }

    public CallerUrls(boolean httpsOnly) {
        this.httpsOnly = httpsOnly;
    }

    /** The URL, when a caller may choose it; else a 400 naming {@code field}. */
    public String check(String field, String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField(field, "is not a well-formed URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !httpsOnly)) {
            throw ProblemException.invalidField(field, httpsOnly ? "must be an https URL" : "must be an http(s) URL");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw ProblemException.invalidField(field, "has no host");
        }
        if (uri.getRawAuthority().indexOf('@') >= 0) {
            throw ProblemException.invalidField(field, "must not carry user information (user@host)");
        }
        if (uri.getHost() == null) {
            throw ProblemException.invalidField(field, "has no valid host");
        }
        return url;
    }
}
