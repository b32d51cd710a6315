package io.switchboard.platform.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets Switchboard knows (configured client secrets and API keys, passwords seen in requests)
 * and the one place that masks them in text: log lines, error messages and audit records go through
 * {@link #mask(String)}. Besides the known values, anything shaped like a credential assignment
 * ({@code password=...}, {@code "clientSecret":"..."}, {@code Bearer ...}) is masked too.
 */
public final class Secrets {

    public static final String MASK = "***";
    private static final int MAX_REMEMBERED = 10_000;
    private static final int MIN_LENGTH = 4;

    /** Key names that hold secrets, compared after lower-casing and removing '-', '_' and '.'. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "password|passwd|passphrase|secret|token|apikey|authorization|credential|privatekey|accesskey");

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)(\"?[\\w.-]*(?:password|passwd|secret|token|api[-_]?key|authorization|credential)[\\w.-]*\"?\\s*[:=]\\s*\"?)"
                    + "([^\"\\s,;&})\\]]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]+");

    private static final Set<String> KNOWN = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            }));

    private Secrets() {
    }

    /** Remember a secret value so that it is masked wherever it would appear. */
    public static void register(String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            KNOWN.add(value);
        }
    }

    /** Whether a JSON member or setting of this name holds a secret. */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String normalized = key.toLowerCase().replace("-", "").replace("_", "").replace(".", "");
        return SECRET_KEY.matcher(normalized).find() && !normalized.endsWith("url") && !normalized.endsWith("type");
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        String[] known;
        synchronized (KNOWN) {
            known = KNOWN.toArray(String[]::new);
        }
        for (String secret : known) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        masked = BEARER.matcher(masked).replaceAll("$1 " + MASK);
        Matcher m = ASSIGNMENT.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            boolean urlKey = key.toLowerCase().replaceAll("[^a-z]", "").endsWith("url");
            m.appendReplacement(out, Matcher.quoteReplacement(urlKey ? m.group() : key + MASK));
        }
        m.appendTail(out);
        return out.toString();
    }
}
