package io.switchboard.events;

import java.time.Clock;
import java.time.Instant;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * On H2 (the sandbox: one process), the time up to which every recording has committed or rolled back, exactly: the
 * in-process counterpart of {@link RecordingFence} (docs/events.md, "Order"). {@link EventRecorder} takes each
 * recording time here, and the recording counts as open until its transaction ends; the reader's horizon is the
 * oldest open recording time, else the clock.
 */
@Component
public class OpenRecordings {

    private final Clock clock;
    /** recording time → recordings stamped with it whose transaction is still open. */
    private final TreeMap<Instant, Integer> open = new TreeMap<>();

    public OpenRecordings(Clock clock) {
        this.clock = clock;
    }

    /**
     * A recording time, open until the current transaction ends (or at once without one). Taken under the same lock
     * as {@link #committedUpTo}, so no recording is stamped before a time that has already been given out there.
     */
    Instant stamp() {
        Instant at = begin();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    ended(at);
                }
            });
        } else {
            ended(at);
        }
        return at;
    }

    /** A recording time, open until {@link #ended}. */
    synchronized Instant begin() {
        Instant at = clock.instant();
        open.merge(at, 1, Integer::sum);
        return at;
    }

    /** Every recording stamped before this time has ended: the reads that follow see those committed. */
    synchronized Instant committedUpTo() {
        return open.isEmpty() ? clock.instant() : open.firstKey();
    }

    synchronized void ended(Instant at) {
        open.computeIfPresent(at, (time, count) -> count == 1 ? null : count - 1);
    }
}
