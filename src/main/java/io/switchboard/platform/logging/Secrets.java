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

    /** A JSON member (or quoted assignment) with a secret's name: the whole quoted value, escapes included. */
    private static final Pattern QUOTED_MEMBER = Pattern.compile(
            "(?i)(\"[\\w.-]*" + KEY_WORDS + "[\\w.-]*\"\\s*[:=]\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");

    /** An unquoted assignment or header with a secret's name ({@code password=x}, {@code X-API-Key: x}). */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([\\w.-]*" + KEY_WORDS + "[\\w.-]*\\s*[:=]\\s*)(?!\"|(?:bearer|basic)\\s)([^\"\\s,;&})\\]]+)");

    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]+");

    private static final Pattern URL_USERINFO = Pattern.compile(
            "(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@\"'<>?#]+@");

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
        masked = replaceValues(QUOTED_MEMBER, masked, true);
        return replaceValues(ASSIGNMENT, masked, false);
    }

    private static String replaceValues(Pattern pattern, String text, boolean quoted) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        do {
            String key = m.group(1);
            String letters = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            boolean keep = letters.endsWith("url") || letters.endsWith("type") || m.group(2).equals(MASK);
            m.appendReplacement(out, Matcher.quoteReplacement(keep ? m.group()
                    : key + MASK + (quoted ? m.group(3) : "")));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
