package io.switchboard.email;

import io.switchboard.platform.logging.Secrets;
import io.switchboard.platform.net.Cidr;
import io.switchboard.platform.net.HostResolver;
import io.switchboard.platform.net.NetworkGuard;
import io.switchboard.platform.net.NetworkPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPConnectionClosedException;
import org.apache.commons.net.smtp.SMTPReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The live SMTP probe: opens a real session to a relay (Apache Commons Net) and reports what happened,
 * without sending mail. Greeting, EHLO, STARTTLS on 587 or implicit TLS on 465 (TLS 1.2+, the system
 * trust store plus {@code email.probe.trust-store}, host name checked), EHLO again, AUTH when
 * credentials are given (PLAIN, else LOGIN, as the relay offers), QUIT.
 *
 * <p>Before anything connects, the SSRF guard ({@link NetworkGuard}) checks the host that will really be
 * dialled (after {@code email.probe.connect-to}): every spelling of a loopback, private, link-local or
 * metadata address is refused with a 400 naming {@code server} unless {@code email.probe.allowed-networks}
 * lifts it, and the session connects only to the address that was checked.
 *
 * <p>Every way a relay can fail (refused connection, timeout, a 421/530/535/550 reply, a TLS failure)
 * ends in a {@link ProbeReport} saying which step failed and why; nothing here throws to the caller.
 */
@Component
public class SmtpProbe {

    static final String NONE = "none";
    static final String STARTTLS = "starttls";
    static final String IMPLICIT_TLS = "implicit-tls";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpProbe.class);
    private static final int MAX_REPLY_LENGTH = 500;

    private final EmailProperties.Probe settings;
    private final SSLContext ssl;
    private final Map<String, HostPort> connectTo;
    private final NetworkGuard guard;

    @Autowired
    public SmtpProbe(EmailProperties properties) {
        this(properties, HostResolver.system());
    }

    SmtpProbe(EmailProperties properties, HostResolver dns) {
        this.settings = properties.probe();
        this.ssl = ProbeTrust.sslContext(settings.trustStore(), settings.trustStorePassword());
        this.connectTo = parseConnectTo(settings.connectTo());
        List<Cidr> allowed;
        try {
            allowed = Cidr.parseList(settings.allowedNetworks());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("email.probe.allowed-networks: " + e.getMessage(), e);
        }
        if (!allowed.isEmpty()) {
            LOG.warn("The SMTP probe may reach {} despite the SSRF guard (email.probe.allowed-networks)", allowed);
        }
        this.guard = new NetworkGuard(new NetworkPolicy(allowed), dns);
    }

    /** The security a relay port implies when TLS is asked for: STARTTLS on 587, implicit TLS on 465. */
    static String security(SmtpTestRequest request) {
        if (!request.tls()) {
            return NONE;
        }
        return request.portOrZero() == 465 ? IMPLICIT_TLS : STARTTLS;
    }

    /**
     * A live session with the relay of {@code request}; a 400 naming {@code server} (no connection made)
     * when the SSRF guard refuses the host that would be dialled.
     */
    public ProbeReport probe(SmtpTestRequest request) {
        HostPort asked = new HostPort(request.server().trim().toLowerCase(Locale.ROOT), request.portOrZero());
        HostPort target = connectTo.getOrDefault(asked.toString(), asked);
        List<InetAddress> addresses = guard.admit("server", target.host());
        ProbeReport report = new Session(request, target, addresses.get(0)).run();
        LOG.info("SMTP probe of {}:{} ({}): {}{} in {} ms", request.server(), request.portOrZero(), report.security(),
                report.success() ? "ok" : "failed at " + report.failedStep(),
                report.error() == null ? "" : " (" + report.error() + ")", report.latencyMs());
        return report;
    }

    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }

        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("expected host:port, got '" + text + "'");
            }
            return new HostPort(text.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    Integer.parseInt(text.substring(colon + 1).trim()));
        }
    }

    static Map<String, HostPort> parseConnectTo(List<String> entries) {
        Map<String, HostPort> result = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            try {
                if (equals <= 0) {
                    throw new IllegalArgumentException("expected host:port=host:port");
                }
                result.put(HostPort.parse(entry.substring(0, equals)).toString(), HostPort.parse(entry.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("email.probe.connect-to entry '" + entry + "' is invalid: "
                        + e.getMessage(), e);
            }
        }
        return Map.copyOf(result);
    }

    /** Commons Net's client, checking the certificate against the requested name even under connect-to. */
    private static final class ProbeClient extends AuthenticatingSMTPClient {
        private final String tlsName;

        ProbeClient(boolean implicit, SSLContext context, String tlsName) {
            super(implicit, context);
            this.tlsName = tlsName;
        }

        @Override
        protected void _connectAction_() throws IOException {
            _hostname_ = tlsName; // SNI and the host name the certificate must match
            super._connectAction_();
        }

        SSLSession tlsSession() {
            return _socket_ instanceof SSLSocket socket ? socket.getSession() : null;
        }
    }

    private interface SmtpCall {
        int call() throws IOException, GeneralSecurityException;
    }

    /** A step the relay refused: ends the session with a report. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** One probe session and its record. */
    private final class Session {
        private final SmtpTestRequest request;
        private final String security;
        private final HostPort target;
        private final InetAddress address;
        private final ProbeClient client;
        private final List<ProbeReport.Step> transcript = new ArrayList<>();
        private final List<Integer> replyCodes = new ArrayList<>();
        private List<String> extensions = List.of();
        private String tlsProtocol;
        private String tlsCipherSuite;
        private String authMechanism;
        private String step = "connect";
        private long started;

        Session(SmtpTestRequest request, HostPort target, InetAddress address) {
            this.request = request;
            this.security = security(request);
            this.target = target;
            this.address = address;
            this.client = new ProbeClient(IMPLICIT_TLS.equals(security), ssl, request.server().trim());
            client.setConnectTimeout(millis(settings.connectTimeout().toMillis()));
            client.setDefaultTimeout(millis(settings.readTimeout().toMillis()));
            client.setEnabledProtocols(ProbeTrust.TLS_PROTOCOLS);
            client.setEndpointCheckingEnabled(true);
            client.addProtocolCommandListener(new ProtocolCommandListener() {
                @Override
                public void protocolCommandSent(ProtocolCommandEvent event) {
                    // commands are recorded by name only: AUTH carries credentials
                }

                @Override
                public void protocolReplyReceived(ProtocolCommandEvent event) {
                    replyCodes.add(event.getReplyCode());
                }
            });
        }

        ProbeReport run() {
            started = System.nanoTime();
            try {
                connect();
                ehlo();
                if (STARTTLS.equals(security)) {
                    startTls();
                    ehlo();
                }
                if (request.hasCredentials()) {
                    authenticate();
                }
                quit();
                return report(null);
            } catch (Refused refused) {
                return report(refused.getMessage());
            } catch (SMTPConnectionClosedException closed) {
                return report(closed.getMessage() != null && closed.getMessage().contains("421")
                        ? "the relay answered 421 and closed the connection: " + lastReply()
                        : "the relay closed the connection without a reply");
            } catch (SSLException e) {
                if (!"starttls".equals(step)) {
                    step = "tls";
                }
                return report("TLS handshake failed: " + rootMessage(e));
            } catch (UnknownHostException e) {
                return report("cannot resolve " + target.host());
            } catch (ConnectException e) {
                return report("connection refused by " + target);
            } catch (NoRouteToHostException e) {
                return report("no route to " + target);
            } catch (SocketTimeoutException e) {
                if ("connect".equals(step) && client.isConnected()) {
                    step = IMPLICIT_TLS.equals(security) && tlsProtocol == null ? "tls" : "greeting";
                }
                long limit = "connect".equals(step) ? settings.connectTimeout().toMillis() : settings.readTimeout().toMillis();
                return report("connect".equals(step)
                        ? "timed out after " + limit + " ms connecting to " + target
                        : "timed out after " + limit + " ms waiting for the relay's reply");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                return report(e.getClass().getSimpleName() + ": " + rootMessage(e));
            } finally {
                disconnect();
            }
        }

        private void connect() throws IOException, Refused {
            step = "connect";
            long t0 = System.nanoTime();
            try {
                client.connect(address, target.port());
            } catch (SMTPConnectionClosedException closed) {
                recordTls();
                step = "greeting";
                record("(connect)", t0);
                throw closed;
            }
            recordTls();
            step = "greeting";
            record("(connect)", t0);
            if (!SMTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw new Refused("the relay refused the session: " + lastReply());
            }
        }

        private void ehlo() throws IOException, GeneralSecurityException, Refused {
            step = "ehlo";
            int code = command("EHLO " + settings.ehloName(), () -> client.ehlo(settings.ehloName()));
            if (!SMTPReply.isPositiveCompletion(code)) {
                throw new Refused("the relay refused EHLO: " + lastReply());
            }
            String[] lines = client.getReplyStrings();
            List<String> advertised = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                advertised.add(lines[i].length() > 4 ? lines[i].substring(4).trim() : "");
            }
            extensions = List.copyOf(advertised);
        }

        private void startTls() throws IOException, GeneralSecurityException, Refused {
            step = "starttls";
            if (extensions.stream().noneMatch(e -> e.equalsIgnoreCase("STARTTLS"))) {
                throw new Refused("the relay does not offer STARTTLS on port " + request.portOrZero());
            }
            long t0 = System.nanoTime();
            boolean upgraded = client.execTLS();
            record("STARTTLS", t0);
            if (!upgraded) {
                throw new Refused("the relay refused STARTTLS: " + lastReply());
            }
            recordTls();
        }

        private void authenticate() throws IOException, GeneralSecurityException, Refused {
            step = "auth";
            AuthenticatingSMTPClient.AUTH_METHOD method = authMethod();
            if (method == null) {
                throw new Refused("the relay offers no AUTH mechanism Switchboard can use (PLAIN, LOGIN, CRAM-MD5); "
                        + "it advertised " + extensions);
            }
            authMechanism = AuthenticatingSMTPClient.AUTH_METHOD.getAuthName(method);
            long t0 = System.nanoTime();
            boolean accepted;
            try {
                accepted = client.auth(method, request.username(), request.password());
            } finally {
                record("AUTH " + authMechanism, t0);
            }
            if (!accepted) {
                throw new Refused("AUTH " + authMechanism + " was refused: " + lastReply());
            }
        }

        /**
         * PLAIN if offered, else LOGIN, else CRAM-MD5; PLAIN when the relay lists no AUTH at all (its
         * answer then tells why, for example 530 before STARTTLS).
         */
        private AuthenticatingSMTPClient.AUTH_METHOD authMethod() {
            List<String> offered = new ArrayList<>();
            boolean anyAuth = false;
            for (String extension : extensions) {
                String upper = extension.toUpperCase(Locale.ROOT);
                if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
                    anyAuth = true;
                    offered.addAll(List.of(upper.substring(5).trim().split("\\s+")));
                }
            }
            if (!anyAuth) {
                return AuthenticatingSMTPClient.AUTH_METHOD.PLAIN;
            }
            if (offered.contains("PLAIN")) {
                return AuthenticatingSMTPClient.AUTH_METHOD.PLAIN;
            }
            if (offered.contains("LOGIN")) {
                return AuthenticatingSMTPClient.AUTH_METHOD.LOGIN;
            }
            if (offered.contains("CRAM-MD5")) {
                return AuthenticatingSMTPClient.AUTH_METHOD.CRAM_MD5;
            }
            return null;
        }

        private void quit() {
            step = "quit";
            try {
                command("QUIT", client::quit);
            } catch (IOException | GeneralSecurityException e) {
                // the session already went through; a relay that drops the line on QUIT is fine
                transcript.add(new ProbeReport.Step("QUIT", null, "no reply: " + rootMessage(e), 0));
            }
        }

        private int command(String label, SmtpCall call) throws IOException, GeneralSecurityException {
            long t0 = System.nanoTime();
            try {
                int code = call.call();
                record(label, t0);
                return code;
            } catch (SMTPConnectionClosedException closed) {
                record(label, t0);
                throw closed;
            }
        }

        private void record(String command, long t0) {
            int code = client.getReplyCode();
            String reply = lastReply();
            boolean answered = !reply.isEmpty();
            transcript.add(new ProbeReport.Step(command, answered ? code : null, answered ? reply : null,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)));
        }

        private void recordTls() {
            SSLSession session = client.tlsSession();
            if (session != null) {
                tlsProtocol = session.getProtocol();
                tlsCipherSuite = session.getCipherSuite();
            }
        }

        private String lastReply() {
            String reply = client.getReplyString();
            if (reply == null) {
                return "";
            }
            reply = Secrets.mask(reply.strip().replace("\r\n", " | ").replace("\n", " | "));
            return reply.length() > MAX_REPLY_LENGTH ? reply.substring(0, MAX_REPLY_LENGTH) + "…" : reply;
        }

        private ProbeReport report(String error) {
            boolean success = error == null;
            return new ProbeReport(success, request.server(), request.portOrZero(), target.toString(), security,
                    success ? null : step, error, List.copyOf(replyCodes), extensions, tlsProtocol, tlsCipherSuite,
                    authMechanism, List.copyOf(transcript), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }

        private void disconnect() {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } catch (IOException ignored) {
                // nothing left to report
            }
        }
    }

    private static int millis(long value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, value));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (root != e && e.getMessage() != null && !e.getMessage().equals(message) && !e.getMessage().contains(message)) {
            message = e.getMessage() + " (" + message + ")";
        }
        return Secrets.mask(message);
    }
}
