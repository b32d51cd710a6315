package io.switchboard.bench;

import java.util.List;

/**
 * How a burst of calls sat in time at the upstream, judged against a budget of {@code budget} calls per
 * {@code window}: the most calls any window (starting anywhere) carried, and the pace at which the calls beyond
 * the first budget went out, as a share of the budget's own pace.
 */
record BudgetWindows(int calls, int largestInAnyWindow, double paceShare, long spanNanos) {

    /** {@code arrivals}: nanosecond timestamps, sorted. */
    static BudgetWindows of(List<Long> arrivals, int budget, long windowNanos) {
        int n = arrivals.size();
        if (n == 0) {
            return new BudgetWindows(0, 0, Double.NaN, 0);
        }
        int largest = 0;
        int start = 0;
        for (int end = 0; end < n; end++) {
            while (arrivals.get(start) + windowNanos <= arrivals.get(end)) {
                start++;
            }
            largest = Math.max(largest, end - start + 1);
        }
        long first = arrivals.get(0);
        long last = arrivals.get(n - 1);
        double pace = Double.NaN;
        if (n > budget && last > first) {
            // after the first budget went out at once, the rest should follow at exactly the budget's pace: the
            // (n - budget) calls beyond it ideally need (n - budget) / budget windows from the first call
            double ideal = (double) (n - budget) / budget * windowNanos;
            pace = Math.min(1.0, ideal / (last - first));
        }
        return new BudgetWindows(n, largest, pace, last - first);
    }
}
