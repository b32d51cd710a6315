package io.switchboard.platform.security;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that says which role each API call needs, by HTTP method and path: reading (GET, HEAD,
 * OPTIONS) needs {@code viewer}; every DELETE and the dead-letter redrives (one, or all of a source)
 * need {@code admin}; every other call (the workflows' POST and PUT) needs {@code operator}. The API
 * filter enforces it and the OpenAPI document shows it per operation.
 */
public final class AccessPolicy {

    /** POST calls that need an admin; {@code {id}} stands for one path segment. */
    private static final List<Pattern> ADMIN_POSTS = List.of(
            Pattern.compile("/api/dead-letters/[^/]+/redrive"),
            Pattern.compile("/api/dead-letters/redrive"));

    private AccessPolicy() {
    }

    /** The role a call needs; {@code path} is the request path or an OpenAPI path template. */
    public static Role required(String method, String path) {
        String verb = method.toUpperCase(Locale.ROOT);
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (verb.equals("GET") || verb.equals("HEAD") || verb.equals("OPTIONS")) {
            return Role.VIEWER;
        }
        if (verb.equals("DELETE")) {
            return Role.ADMIN;
        }
        if (verb.equals("POST") && ADMIN_POSTS.stream().anyMatch(p -> p.matcher(normalized).matches())) {
            return Role.ADMIN;
        }
        return Role.OPERATOR;
    }
}
