package io.switchboard.platform.upstream;

import java.util.Map;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CXone or Genesys Cloud answered, with a status the workflow accepts (usually 2xx), a body Switchboard cannot
 * read: not JSON (an HTML maintenance page with 200), JSON cut short, an empty body where JSON is expected, or
 * JSON of the wrong shape. The platform's fault, never the caller's: the API answers 502 naming the platform and
 * the status it answered ({@link io.switchboard.platform.http.Problems}), and the workflow audits it as an upstream
 * failure. The message says what was wrong with the body but carries nothing of it (the body can hold anything).
 * Thrown by {@link io.switchboard.platform.json.JsonAnswers}, the one place upstream answers are read; each one is
 * logged (WARN) when it is made.
 */
public class UnreadableAnswerException extends UpstreamException {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableAnswerException.class);

    private final String reason;

    public UnreadableAnswerException(String platform, int status, String what, String reason,
                                     Map<String, String> responseHeaders) {
        super(platform, status, platform + " answered " + status + " to " + what + " with " + reason,
                null, responseHeaders, null);
        this.reason = reason;
    }

    /** The answer on {@code answer} (the message a {@code direct:cxone} or {@code direct:genesys} call returned). */
    @SuppressWarnings("unchecked")
    public static UnreadableAnswerException of(Message answer, String what, String reason) {
        String platform = answer.getHeader(Upstream.PLATFORM, "the platform", String.class);
        int status = answer.getHeader(Upstream.STATUS, 0, Integer.class);
        Map<String, String> headers = answer.getHeader(Upstream.RESPONSE_HEADERS, Map.class);
        UnreadableAnswerException unreadable = new UnreadableAnswerException(platform, status, what, reason, headers);
        LOG.warn("Upstream failure: {}", unreadable.getMessage());
        return unreadable;
    }

    /** What was wrong with the body ("a body that is not JSON (Content-Type text/html)"), without any of it. */
    public String reason() {
        return reason;
    }

    /** Another attempt would read the same kind of answer; the platform has also acted on the request already. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
