package io.switchboard.platform.config;

import io.switchboard.platform.security.ApiKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Service-wide settings ({@code switchboard.*}).
 *
 * @param apiKeys     {@code name:secret[:role]} entries, comma separated; the name is the audit operator, the
 *                    role {@code viewer}, {@code operator} (default) or {@code admin} (see ApiKeys)
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

    /** API key secret → operator name (roles left out). Malformed entries (no colon, empty parts) are ignored. */
    public Map<String, String> operatorsBySecret() {
        Map<String, String> result = new LinkedHashMap<>();
        ApiKeys.parse(apiKeys).entries().forEach(entry -> result.put(entry.secret(), entry.name()));
        return result;
    }
}
