package io.switchboard.email;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the live SMTP probe saw: every command with its reply code, the extensions the relay advertised
 * (after STARTTLS when it was used), the negotiated TLS protocol, and the latency. A probe that did not
 * get through says where ({@code failedStep}) and why ({@code error}); it is a report, not an error.
 *
 * @param success        the session went through (greeting, EHLO, TLS and AUTH where asked)
 * @param server         the relay host asked for
 * @param port           the relay port asked for
 * @param connectedTo    the address actually dialed (differs from server:port under email.probe.connect-to)
 * @param security       {@code none}, {@code starttls} (port 587) or {@code implicit-tls} (port 465)
 * @param failedStep     {@code connect}, {@code greeting}, {@code ehlo}, {@code starttls}, {@code tls} or {@code auth}
 * @param error          why that step failed
 * @param replyCodes     every SMTP reply code received, in order
 * @param extensions     the EHLO extensions advertised (the last EHLO)
 * @param tlsProtocol    negotiated TLS protocol, e.g. TLSv1.3
 * @param tlsCipherSuite negotiated cipher suite
 * @param authMechanism  the AUTH mechanism tried
 * @param transcript     the session, one entry per command (credentials never appear)
 * @param latencyMs      time of the whole session
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeReport(boolean success, String server, int port, String connectedTo, String security,
                          String failedStep, String error, List<Integer> replyCodes, List<String> extensions,
                          String tlsProtocol, String tlsCipherSuite, String authMechanism,
                          List<Step> transcript, long latencyMs) {

    /** One command of the session and the relay's answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String command, Integer replyCode, String reply, long elapsedMs) {
    }
}
