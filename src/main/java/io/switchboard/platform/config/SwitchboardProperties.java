package io.switchboard.platform.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Service-wide settings ({@code switchboard.*}).
 *
 * @param apiKeys     {@code name:secret} pairs, comma separated; the name is the audit operator
 * @param maxBodySize request bodies above this are refused with 413
 * @param schemasDir  folder of the JSON Schemas every inbound payload is validated against
 */
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(String apiKeys, DataSize maxBodySize, String schemasDir) {

    public SwitchboardProperties {
        if (maxBodySize == null) {
            maxBodySize = DataSize.ofMegabytes(1);
        }
        if (schemasDir == null || schemasDir.isBlank()) {
            schemasDir = "config/schemas";
        }
    }

    /** API key secret → operator name. Malformed entries (no colon, empty parts) are ignored. */
    public Map<String, String> operatorsBySecret() {
        Map<String, String> result = new LinkedHashMap<>();
        if (apiKeys == null) {
            return result;
        }
        for (String pair : apiKeys.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                continue;
            }
            result.put(pair.substring(colon + 1).trim(), pair.substring(0, colon).trim());
        }
        return result;
    }
}
