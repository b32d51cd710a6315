package io.switchboard.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brute-force brake of the API: a client address that presented {@code limit} wrong API keys within one
 * minute is refused (429, {@code Retry-After}) until that minute is over, whatever key it sends next.
 * Each address has its own one-minute window starting at its first failure. Memory stays bounded: past
 * {@link #MAX_TRACKED} addresses, expired windows are dropped, then the oldest.
 */
public final class LoginThrottle {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_TRACKED = 10_000;

    private record Window(Instant start, int failures) {
    }

    private final int limit;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LoginThrottle(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** How long this address must still wait, when it is blocked. */
    public Optional<Duration> blockedFor(String address) {
        Window window = windows.get(address);
        if (window == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), window.start().plus(WINDOW));
        if (left.isNegative() || left.isZero()) {
            windows.remove(address, window);
            return Optional.empty();
        }
        return window.failures() >= limit ? Optional.of(left) : Optional.empty();
    }

    /** Counts a wrong key from this address. */
    public void failed(String address) {
        Instant now = clock.instant();
        windows.compute(address, (key, window) -> window == null || !now.isBefore(window.start().plus(WINDOW))
                ? new Window(now, 1)
                : new Window(window.start(), window.failures() + 1));
        if (windows.size() > MAX_TRACKED) {
            windows.entrySet().removeIf(e -> !now.isBefore(e.getValue().start().plus(WINDOW)));
            while (windows.size() > MAX_TRACKED) {
                windows.entrySet().stream().min(Map.Entry.comparingByValue(
                                java.util.Comparator.comparing(Window::start)))
                        .ifPresent(oldest -> windows.remove(oldest.getKey()));
            }
        }
    }
}
