package io.switchboard.platform.logging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that masks secrets in text: log lines, error messages, dead-letter reasons and audit
 * records go through {@link #mask(String)}. Masking goes by structure, so no caller can steer it:
 * <ul>
 *   <li>members and assignments whose name says secret ({@code "password":"..."}, {@code client_secret=...},
 *       {@code access_token}, {@code apiKey}, {@code X-API-Key: ...}), the whole quoted value;</li>
 *   <li>{@code Authorization} values ({@code Bearer ...}, {@code Basic ...});</li>
 *   <li>user information in URLs ({@code https://user:password@host});</li>
 *   <li>token-shaped strings: JSON Web Tokens ({@code eyJ...}.{@code ...}.{@code ...});</li>
 *   <li>the configured secrets ({@link #configure}: platform client secrets, API keys, store and database
 *       passwords), plain and base64-encoded (as in {@code Basic} credentials), and nothing else: values
 *       that callers send are never added, so no request can make an ordinary word vanish from the log.</li>
 * </ul>
 */
public final class Secrets {

    public static final String MASK = "***";
    private static final int MIN_LENGTH = 4;

    /** Key names that hold secrets, compared after lower-casing and removing '-', '_' and '.'. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "password|passwd|passphrase|secret|token|apikey|authorization|credential|privatekey|accesskey");

    private static final String KEY_WORDS = "(?:password|passwd|passphrase|secret|token|api[-_]?key|authorization"
            + "|credential|private[-_]?key|access[-_]?key)";

    /** A secret's name within a member, assignment or header name. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)" + KEY_WORDS);

    /*
     * Members and assignments are found in two steps, a name and then its value, each matched possessively. One
     * pattern, [\w.-]*(password|...)[\w.-]*[:=]value, backtracks over the whole word at every keyword it holds and
     * from every position it is tried at: quadratic in the word's length (a 20 KB word took 13 s to mask).
     */

    /** A JSON member's (or quoted assignment's) name and separator, up to its value's opening quote. */
    private static final Pattern QUOTED_NAME = Pattern.compile("\"([\\w.-]++)\"\\s*+[:=]\\s*+\"");

    /** The rest of a quoted value, escapes included, and its closing quote. */
    private static final Pattern QUOTED_VALUE = Pattern.compile("[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"");

    /** An unquoted assignment's or header's name and separator ({@code password=}, {@code X-API-Key: }). */
    private static final Pattern ASSIGNED_NAME = Pattern.compile("(?<![\\w.-])([\\w.-]++)\\s*+[:=]\\s*+");

    /** An unquoted value, unless an authorization scheme (masked by {@link #AUTH_SCHEME}) or a quote starts it. */
    private static final Pattern ASSIGNED_VALUE = Pattern.compile("(?i)(?!\"|(?:bearer|basic)\\s)[^\"\\s,;&})\\]]++");

    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]+");

    /** A URL's user information; a scheme of at most 32 characters (unbounded, "a.a.a..." is quadratic). */
    private static final Pattern URL_USERINFO = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]{0,31}://)[^/\\s@\"'<>?#]+@");

    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    private static final Set<String> CONFIGURED = new LinkedHashSet<>();

    /** The configured secrets (and their base64 forms) as one alternation, longest first; null when none. */
    private static volatile Pattern configured;

    private Secrets() {
    }

    /**
     * Adds configured secrets, masked wherever they appear from then on. Each value is masked plain and
     * base64-encoded; {@code pairs} are {@code id:secret} credentials masked in their base64 form (HTTP
     * Basic). Values shorter than four characters are ignored. Only the configuration calls this, never a
     * request, so the set stays as small as the configuration.
     */
    public static synchronized void configure(Collection<String> values, Collection<String> pairs) {
        for (String value : values) {
            if (value != null && value.length() >= MIN_LENGTH) {
                CONFIGURED.add(value);
                CONFIGURED.addAll(base64Forms(value));
            }
        }
        for (String pair : pairs) {
            if (pair != null && pair.length() >= MIN_LENGTH) {
                CONFIGURED.addAll(base64Forms(pair));
            }
        }
        configured = CONFIGURED.isEmpty() ? null : Pattern.compile(CONFIGURED.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
    }

    private static Set<String> base64Forms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Set<String> forms = new LinkedHashSet<>();
        String standard = Base64.getEncoder().encodeToString(bytes);
        forms.add(standard);
        forms.add(Base64.getUrlEncoder().encodeToString(bytes));
        forms.add(standard.replace("=", ""));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        forms.removeIf(form -> form.length() < MIN_LENGTH);
        return forms;
    }

    /** Whether a JSON member or setting of this name holds a secret. */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String normalized = key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
        return SECRET_KEY.matcher(normalized).find() && !normalized.endsWith("url") && !normalized.endsWith("type");
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        Pattern known = configured;
        if (known != null) {
            masked = known.matcher(masked).replaceAll(MASK);
        }
        masked = URL_USERINFO.matcher(masked).replaceAll("$1" + MASK + "@");
        masked = JWT.matcher(masked).replaceAll(MASK);
        masked = AUTH_SCHEME.matcher(masked).replaceAll("$1 " + MASK);
        masked = maskValues(QUOTED_NAME, QUOTED_VALUE, masked, true);
        return maskValues(ASSIGNED_NAME, ASSIGNED_VALUE, masked, false);
    }

    /**
     * Masks the value after every name that says secret (not one ending in "url" or "type"). A quoted name is
     * looked for again from its next character when it is not followed by a secret value, as a JSON value may
     * itself be the next quoted name; an unquoted name only starts a word.
     */
    private static String maskValues(Pattern names, Pattern values, String text, boolean quoted) {
        Matcher name = names.matcher(text);
        Matcher value = values.matcher(text);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int from = 0;
        while (from < text.length() && name.find(from)) {
            if (isSecretName(name.group(1)) && value.region(name.end(), text.length()).lookingAt()) {
                String found = text.substring(name.end(), quoted ? value.end() - 1 : value.end());
                if (!found.equals(MASK)) {
                    out.append(text, copied, name.end()).append(MASK);
                    copied = quoted ? value.end() - 1 : value.end();
                }
                from = value.end();
            } else {
                from = quoted ? name.start() + 1 : name.end();
            }
        }
        return copied == 0 ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean isSecretName(String name) {
        if (!SECRET_NAME.matcher(name).find()) {
            return false;
        }
        String letters = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return !letters.endsWith("url") && !letters.endsWith("type");
    }
}
