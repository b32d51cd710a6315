package io.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CXone request budget under a burst: {@code limiterBurstFactor} × the budget (2 × 600 by default) calls fired
 * at once through {@code direct:cxone} at the CXone stand-in, with {@code cxone.rate-limit-per-minute} = budget and
 * the window {@code upstream.rate-limit-window} (60 s unless set shorter for a quick run). From the arrival times
 * at the stand-in: the most calls any window carried (never above the budget), and the share of the budget used
 * (the pace of the calls beyond the first budget against the budget's own pace, at least 95 %). Every call's
 * outcome is in the JSON.
 */
final class RateLimiterBenchmark {

    private final BenchContext context;
    private final BenchSettings settings;
    private final Report report;

    RateLimiterBenchmark(BenchContext context) {
        this.context = context;
        this.settings = context.settings;
        this.report = context.report;
    }

    void run() throws Exception {
        int budget = settings.limiterBudget();
        int calls = (int) Math.round(budget * settings.limiterBurstFactor());
        long window = settings.limiterWindow().toNanos();
        try (BenchContext.Lease lease = context.switchboard("rate-limiter", settings.limiterHeap())) {
            SwitchboardControl switchboard = lease.switchboard;
            context.cxone.clearArrivals();
            System.out.printf("rate limiter: %,d calls at once against a budget of %,d per %s%n", calls, budget,
                    settings.limiterWindow());
            List<SwitchboardControl.CallOutcome> outcomes = switchboard.burst(CxoneStandIn.LIMITED, calls);
            List<Long> arrivals = new ArrayList<>(context.cxone.arrivals());
            arrivals.sort(Long::compare);
            BudgetWindows windows = BudgetWindows.of(arrivals, budget, window);
            record(budget, calls, outcomes, arrivals, windows);
        }
    }

    private void record(int budget, int calls, List<SwitchboardControl.CallOutcome> outcomes, List<Long> arrivals,
                        BudgetWindows windows) {
        Map<String, Integer> byOutcome = new TreeMap<>();
        int retried = 0;
        for (SwitchboardControl.CallOutcome outcome : outcomes) {
            String key = outcome.error() == null ? Integer.toString(outcome.status()) : "failed " + outcome.status();
            byOutcome.merge(key, 1, Integer::sum);
            if (outcome.attempts() > 1) {
                retried++;
            }
        }
        long first = arrivals.isEmpty() ? 0 : arrivals.get(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("budget", budget);
        details.put("window", settings.limiterWindow().toString());
        details.put("calls", calls);
        details.put("arrivedAtUpstream", arrivals.size());
        details.put("largestCountInAnyWindow", windows.largestInAnyWindow());
        details.put("paceShareOfBudget", Math.round(windows.paceShare() * 10000) / 10000.0);
        details.put("firstToLastArrivalSeconds", Math.round(windows.spanNanos() / 1e7) / 100.0);
        details.put("outcomes", byOutcome);
        details.put("retriedCalls", retried);
        details.put("everyCall", outcomes);
        details.put("arrivalOffsetsMs", arrivals.stream().map(a -> (a - first) / 1_000_000).toList());
        report.details("rate-limiter", details);

        boolean allOk = byOutcome.size() == 1 && byOutcome.containsKey("200") && arrivals.size() == calls;
        report.row("rate-limiter", "largest count in any " + settings.limiterWindow().toSeconds() + " s window ("
                        + calls + " calls at once)", windows.largestInAnyWindow() + " of " + budget, "≤ budget",
                Report.Verdict.of(windows.largestInAnyWindow() <= budget));
        report.row("rate-limiter", "share of the budget used (pace beyond the first budget)",
                Report.percent(windows.paceShare()), "≥ 95 %", Report.Verdict.of(windows.paceShare() >= 0.95));
        report.row("rate-limiter", "outcomes", outcomesText(byOutcome) + ", " + retried + " retried",
                "all served", Report.Verdict.of(allOk));
    }

    private static String outcomesText(Map<String, Integer> byOutcome) {
        StringBuilder text = new StringBuilder();
        byOutcome.forEach((outcome, count) -> text.append(text.isEmpty() ? "" : ", ").append(count).append(" × ")
                .append(outcome));
        return text.toString();
    }
}
