package io.switchboard.genesys;

import io.switchboard.platform.net.HostResolver;
import io.switchboard.platform.net.NetworkPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.ExchangeProperty;

/**
 * The DNS check and the SSRF guard, before anything connects anywhere: every destination's name is
 * looked up once (all A/AAAA answers, concurrently, within {@code resolver.dns-timeout}), then the name and
 * every address must pass the {@link NetworkPolicy}. One refused destination refuses the request (400)
 * before any destination is contacted; otherwise the first DNS failure answers 502 {@code dns}. The
 * admitted addresses are the only ones the later checks connect to.
 */
public class DestinationGuard {

    private final HostResolver resolver;
    private final NetworkPolicy policy;
    private final CheckThreads executor;
    private final Duration dnsTimeout;

    public DestinationGuard(HostResolver resolver, NetworkPolicy policy, CheckThreads executor, Duration dnsTimeout) {
        this.resolver = resolver;
        this.policy = policy;
        this.executor = executor;
        this.dnsTimeout = dnsTimeout;
    }

    public List<CheckedDestination> admit(@ExchangeProperty(ResolveExchange.REQUEST) ResolveRequest request)
            throws InterruptedException {
        List<Destination> destinations = request.destinations();
        Map<Destination, String> refusals = new LinkedHashMap<>();
        Map<Destination, Future<InetAddress[]>> lookups = new LinkedHashMap<>();
        for (Destination destination : destinations) {
            policy.refusalBeforeLookup(destination).ifPresent(reason -> refusals.put(destination, reason));
            if (destination.isName() && !refusals.containsKey(destination)) {
                lookups.put(destination, executor.submit(() -> resolver.resolve(destination.host())));
            }
        }
        long deadline = System.nanoTime() + dnsTimeout.toNanos();
        Map<Destination, List<InetAddress>> answers = new LinkedHashMap<>();
        List<CheckFailure> failures = new ArrayList<>();
        for (Map.Entry<Destination, Future<InetAddress[]>> lookup : lookups.entrySet()) {
            Destination destination = lookup.getKey();
            try {
                InetAddress[] addresses = lookup.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (addresses == null || addresses.length == 0) {
                    failures.add(new CheckFailure(CheckFailure.DNS, destination, destination.host() + " has no A or AAAA record"));
                } else {
                    answers.put(destination, List.copyOf(Arrays.asList(addresses)));
                }
            } catch (ExecutionException e) {
                failures.add(new CheckFailure(CheckFailure.DNS, destination, e.getCause() instanceof UnknownHostException
                        ? destination.host() + " does not resolve (unknown host)"
                        : "looking up " + destination.host() + " failed: " + e.getCause()));
            } catch (TimeoutException e) {
                lookup.getValue().cancel(true);
                failures.add(new CheckFailure(CheckFailure.DNS, destination,
                        "no DNS answer for " + destination.host() + " within " + dnsTimeout.toMillis() + " ms"));
            }
        }
        List<CheckedDestination> admitted = new ArrayList<>();
        for (Destination destination : destinations) {
            List<InetAddress> addresses = destination.isName() ? answers.get(destination) : List.of(destination.literal());
            if (addresses == null || refusals.containsKey(destination)) {
                continue;
            }
            policy.refusal(destination, addresses).ifPresentOrElse(
                    reason -> refusals.put(destination, reason),
                    () -> admitted.add(new CheckedDestination(destination, addresses)));
        }
        if (!refusals.isEmpty()) {
            Map<Destination, String> inOrder = new LinkedHashMap<>();
            destinations.stream().filter(refusals::containsKey).forEach(d -> inOrder.put(d, refusals.get(d)));
            throw CheckProblems.refused(inOrder);
        }
        if (!failures.isEmpty()) {
            throw CheckProblems.failed(failures);
        }
        return admitted;
    }
}
