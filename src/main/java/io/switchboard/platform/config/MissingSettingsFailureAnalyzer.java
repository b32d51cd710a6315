package io.switchboard.platform.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link LiveSettingsCheck.MissingSettingsException} into one line per missing key. */
public class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<LiveSettingsCheck.MissingSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, LiveSettingsCheck.MissingSettingsException cause) {
        StringBuilder description = new StringBuilder("Switchboard (profile 'live') is missing required settings:\n");
        for (String key : cause.keys()) {
            description.append("  missing setting: ").append(key)
                    .append(" (environment variable ").append(LiveSettingsCheck.envName(key)).append(")\n");
        }
        return new FailureAnalysis(description.toString(),
                "Set each key in config/application-live.yaml or as an environment variable, then start again.",
                cause);
    }
}
