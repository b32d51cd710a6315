package io.switchboard.platform.security;

/** Who is calling the API: the API key's name (the audit operator) and its role. */
public record Caller(String name, Role role) {
}
