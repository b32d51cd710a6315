package io.switchboard.genesys;

/**
 * A destination failed one of its checks: {@code dns}, {@code tls} or {@code health}. The message says
 * what happened in words a platform engineer can act on; it never carries a secret.
 */
public class CheckFailure extends Exception {

    public static final String DNS = "dns";
    public static final String TLS = "tls";
    public static final String HEALTH = "health";

    private final String check;
    private final Destination destination;

    public CheckFailure(String check, Destination destination, String message) {
        super(message, null, false, false);
        this.check = check;
        this.destination = destination;
    }

    public String check() {
        return check;
    }

    public Destination destination() {
        return destination;
    }
}
