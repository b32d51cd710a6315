package io.switchboard.bench;

import io.switchboard.events.OrderGuarantee;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The out-of-order deliveries of one drain, judged by Switchboard's order guarantee (docs/events.md, "Order";
 * {@link OrderGuarantee}, the rule the tests apply): an event may reach a sink after a later event of its interaction
 * only if it was recorded more than the window after the first of those later events to go. The recording times are
 * the store's ({@code events.received_at}), read once the engine has stopped (an H2 file is Switchboard's alone
 * while it runs).
 *
 * @param outOfOrder   deliveries that came after a later event of their interaction (first deliveries only)
 * @param allowedLate  of those, recorded more than the window after the first later one to go: allowed
 * @param beyond       of those, recorded within the window after it: the guarantee broken
 * @param unrecorded   deliveries of events the store has no recording time for (not judged)
 * @param lateGaps     recorded-after gaps of the allowed ones, milliseconds: smallest / median / largest
 * @param beyondGaps   the same of the broken ones
 * @param examples     a few broken ones, described
 */
record OrderCheck(Duration window, long outOfOrder, long allowedLate, long beyond, long unrecorded, long[] lateGaps,
                  long[] beyondGaps, List<String> examples) {

    /** Judges what every sink of {@code ledger} received, with the recording times of the feed's events. */
    static OrderCheck of(DeliveryLedger ledger, Instant[] recordedAt, Duration window) {
        EventFeed feed = ledger.feed();
        long outOfOrder = 0;
        long unrecorded = 0;
        List<Long> late = new ArrayList<>();
        List<Long> broken = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        for (int sink = 0; sink < SinkServers.NAMES.size(); sink++) {
            OrderGuarantee check = new OrderGuarantee(window);
            for (int event : ledger.arrivals(sink)) {
                Instant recorded = recordedAt[event];
                if (recorded == null) {
                    unrecorded++;
                    continue;
                }
                OrderGuarantee.Overtaken overtaken = check.next(new OrderGuarantee.Delivered(Integer.toString(event),
                        feed.interactionId(event), feed.sequenceOf(event), recorded));
                if (overtaken == null) {
                    continue;
                }
                outOfOrder++;
                if (overtaken.allowed()) {
                    late.add(overtaken.gap().toMillis());
                } else {
                    broken.add(overtaken.gap().toMillis());
                    if (examples.size() < 10) {
                        examples.add(SinkServers.NAMES.get(sink) + ": " + feed.interactionId(event) + " sequence "
                                + feed.sequenceOf(event) + " (recorded " + recorded + ") after sequence "
                                + overtaken.overtaker().orderKey() + " (recorded " + overtaken.overtaker().recordedAt()
                                + "), gap " + overtaken.gap().toMillis() + " ms");
                    }
                }
            }
        }
        return new OrderCheck(window, outOfOrder, late.size(), broken.size(), unrecorded, spread(late), spread(broken),
                examples);
    }

    /** When the store recorded each event of {@code feed}, by event index (null: not recorded). */
    static Instant[] recordedAt(BenchDatabase.Target database, EventFeed feed) throws SQLException {
        Instant[] recorded = new Instant[feed.unique()];
        try (Connection db = database.connect();
             PreparedStatement select = db.prepareStatement(
                     "SELECT event_id, received_at FROM events WHERE interaction_id LIKE ?")) {
            select.setString(1, "bench-" + feed.run() + "-%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    if (EventFeed.runOf(id) == feed.run()) {
                        recorded[EventFeed.indexOf(id)] = rows.getObject(2, OffsetDateTime.class).toInstant();
                    }
                }
            }
        }
        return recorded;
    }

    /** {@code events.resequence-window} as Switchboard runs it: the benchmark's setting, else the packaged default. */
    static Duration window(BenchSettings settings) {
        if (settings.resequenceWindow() != null) {
            return settings.resequenceWindow();
        }
        try (InputStream in = OrderCheck.class.getClassLoader().getResourceAsStream("config/application.yaml")) {
            if (in == null) {
                throw new IllegalStateException("config/application.yaml is not on the classpath");
            }
            Map<?, ?> yaml = new org.yaml.snakeyaml.Yaml().load(in);
            Object window = ((Map<?, ?>) yaml.get("events")).get("resequence-window");
            return Duration.parse(String.valueOf(window));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("window", window.toString());
        map.put("outOfOrder", outOfOrder);
        map.put("allowedLate", allowedLate);
        map.put("beyondTheGuarantee", beyond);
        map.put("notRecorded", unrecorded);
        map.put("allowedLateGapMs", gaps(lateGaps));
        map.put("beyondGapMs", gaps(beyondGaps));
        map.put("beyondExamples", examples);
        return map;
    }

    String summary() {
        return outOfOrder + " out of order: " + allowedLate + " allowed late (recorded > " + window.toMillis()
                + " ms after the first later one to go; gap ms min/median/max " + gaps(lateGaps) + "), " + beyond
                + " beyond the guarantee" + (beyond > 0 ? " (gap ms " + gaps(beyondGaps) + ")" : "")
                + (unrecorded > 0 ? ", " + unrecorded + " deliveries without a recording time" : "");
    }

    /** The sum of the rounds' checks (counts add up; gaps and examples are the first round's). */
    static OrderCheck sum(List<OrderCheck> checks) {
        if (checks.isEmpty() || checks.contains(null)) {
            return null;
        }
        OrderCheck first = checks.get(0);
        long out = 0;
        long allowed = 0;
        long beyond = 0;
        long unrecorded = 0;
        for (OrderCheck c : checks) {
            out += c.outOfOrder;
            allowed += c.allowedLate;
            beyond += c.beyond;
            unrecorded += c.unrecorded;
        }
        return new OrderCheck(first.window, out, allowed, beyond, unrecorded, first.lateGaps, first.beyondGaps,
                first.examples);
    }

    private static long[] spread(List<Long> gaps) {
        if (gaps.isEmpty()) {
            return new long[0];
        }
        long[] sorted = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        return new long[] {sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]};
    }

    private static String gaps(long[] spread) {
        return spread.length == 0 ? "-" : spread[0] + " / " + spread[1] + " / " + spread[2];
    }

    @Override
    public String toString() {
        return summary() + " " + Arrays.toString(examples.toArray());
    }
}
