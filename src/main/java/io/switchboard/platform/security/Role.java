package io.switchboard.platform.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do, each role including the one before it: {@code viewer} reads (every GET),
 * {@code operator} also runs the workflows (their POST and PUT calls), {@code admin} also redrives and
 * discards dead letters and deletes (every DELETE). See {@link AccessPolicy}.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** Whether a key with this role may do what {@code needed} may do. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The name as written in {@code switchboard.api-keys} and in answers: {@code viewer}, {@code operator}, {@code admin}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.text().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
