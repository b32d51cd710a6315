package io.switchboard.platform.security;

import io.switchboard.platform.http.ApiRequestFilter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** {@code GET /api/whoami}: the calling key's name and role, as the API filter established them. */
@Component
public class WhoAmI {

    public Map<String, Object> describe(@Header(ApiRequestFilter.OPERATOR_HEADER) String name,
                                        @Header(ApiRequestFilter.ROLE_HEADER) String role) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", name);
        answer.put("role", role);
        return answer;
    }
}
