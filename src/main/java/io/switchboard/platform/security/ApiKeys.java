package io.switchboard.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API keys of {@code switchboard.api-keys}: comma-separated {@code name:secret[:role]} entries, the
 * name being the audit operator and the role {@code viewer}, {@code operator} (the default) or
 * {@code admin}. A presented key is compared in constant time: its SHA-256 digest against every entry's
 * digest with {@link MessageDigest#isEqual}, always all of them, so neither the length nor the first
 * differing byte of a guess shows in the answer time.
 */
public final class ApiKeys {

    /** One configured key: who it is, what it may do, and its secret (for masking, never for comparing). */
    public record Entry(String name, String secret, Role role) {
        @Override
        public String toString() {
            return name + ":***:" + role.text();
        }
    }

    private record Hashed(Caller caller, byte[] digest) {
    }

    private final List<Entry> entries;
    private final List<Hashed> hashed;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        this.hashed = entries.stream().map(e -> new Hashed(new Caller(e.name(), e.role()), sha256(e.secret()))).toList();
    }

    /** Reads {@code switchboard.api-keys}; entries without a name or a secret are ignored. */
    public static ApiKeys parse(String setting) {
        List<Entry> entries = new ArrayList<>();
        if (setting != null) {
            for (String text : setting.split(",")) {
                parseEntry(text.trim()).ifPresent(entries::add);
            }
        }
        return new ApiKeys(entries);
    }

    /** {@code name:secret[:role]}: a last part naming a role is the role, anything else belongs to the secret. */
    static Optional<Entry> parseEntry(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String name = text.substring(0, colon).trim();
        String secret = text.substring(colon + 1).trim();
        Role role = Role.OPERATOR;
        int last = secret.lastIndexOf(':');
        if (last > 0) {
            Optional<Role> named = Role.parse(secret.substring(last + 1));
            if (named.isPresent()) {
                role = named.get();
                secret = secret.substring(0, last).trim();
            }
        }
        return name.isEmpty() || secret.isEmpty() ? Optional.empty() : Optional.of(new Entry(name, secret, role));
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The caller this key belongs to, compared in constant time; empty for an unknown key. */
    public Optional<Caller> find(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Caller found = null;
        for (Hashed entry : hashed) {
            if (MessageDigest.isEqual(digest, entry.digest()) && found == null) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
