package io.switchboard.platform.upstream;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a platform's 403 says is missing, in the forms the platforms use: an RFC 6750 {@code WWW-Authenticate:
 * Bearer error="insufficient_scope", scope="..."} header, a JSON {@code scope}/{@code required_scope} field, or a
 * message such as Genesys Cloud's {@code "You are missing the following permission(s): [a:b:c]"}.
 */
public final class MissingPermission {

    private static final Pattern HEADER_SCOPE = Pattern.compile("scope=\"([^\"]+)\"");
    private static final Pattern JSON_SCOPE = Pattern.compile(
            "\"(?:scope|required_scope|requiredScope|missingScopes?|missing_scopes?)\"\\s*:\\s*\\[?\\s*\"([^\"]+)\"");
    private static final Pattern PERMISSIONS = Pattern.compile("permission\\(?s?\\)?[^\\[]*\\[([^\\]]+)\\]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SCOPE_WORD = Pattern.compile(
            "scopes?\\W{1,3}([a-z][\\w-]*(?::[\\w-]+)+(?:[ ,]+[a-z][\\w-]*(?::[\\w-]+)+)*)", Pattern.CASE_INSENSITIVE);

    private MissingPermission() {
    }

    /** "scope x" or "permission(s) y" when the answer names it, else null. */
    public static String describe(String body, Map<String, String> headers) {
        String header = headers == null ? null : headers.get("WWW-Authenticate");
        if (header != null) {
            Matcher m = HEADER_SCOPE.matcher(header);
            if (m.find()) {
                return "scope " + m.group(1);
            }
        }
        if (body == null || body.isBlank()) {
            return null;
        }
        Matcher m = PERMISSIONS.matcher(body);
        if (m.find()) {
            return "permission " + m.group(1).replace("\"", "").trim();
        }
        m = JSON_SCOPE.matcher(body);
        if (m.find()) {
            return "scope " + m.group(1);
        }
        m = SCOPE_WORD.matcher(body);
        if (m.find()) {
            return "scope " + m.group(1);
        }
        return null;
    }
}
