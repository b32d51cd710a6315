package io.switchboard.genesys;

import io.switchboard.platform.net.HostLiterals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The TLS and health checks of one admitted destination, over one connection to an address the SSRF
 * guard checked (never a fresh lookup): TCP connect, TLS handshake with certificate and host-name
 * verification (SNI and endpoint identification use the destination's name), then {@code GET} of the
 * destination's path on that same TLS session. Only the status line is read; redirects are not followed.
 */
public class DestinationProbe {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})(?: .*)?");
    private static final int MAX_LINE = 8192;
    private static final int CLOSE_WAIT_MS = 100;

    private final DestinationTls tls;
    private final ResolverProperties settings;

    public DestinationProbe(DestinationTls tls, ResolverProperties settings) {
        this.tls = tls;
        this.settings = settings;
    }

    /** One probe's progress: the check it is in and its socket, so a watchdog can name and stop it. */
    public static final class Run {
        private volatile String check = CheckFailure.TLS;
        private volatile Socket socket;

        public String check() {
            return check;
        }

        public void abort() {
            Socket current = socket;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // closing is all we wanted
                }
            }
        }
    }

    public DestinationReport probe(CheckedDestination checked, Run run) throws CheckFailure {
        long started = System.nanoTime();
        Destination destination = checked.destination();
        Socket raw = connect(checked, run);
        SSLSocket socket = handshake(raw, destination, run);
        try {
            SSLSession session = socket.getSession();
            if (!DestinationTls.PROTOCOLS.contains(session.getProtocol())) {
                throw new CheckFailure(CheckFailure.TLS, destination,
                        "negotiated " + session.getProtocol() + "; TLS 1.2 or newer is required");
            }
            String expires = session.getPeerCertificates()[0] instanceof X509Certificate x509
                    ? x509.getNotAfter().toInstant().toString() : null;
            run.check = CheckFailure.HEALTH;
            int status = healthGet(socket, destination);
            if (status >= 500) {
                throw new CheckFailure(CheckFailure.HEALTH, destination,
                        "GET " + destination.pathAndQuery() + " answered " + status + " (unhealthy)");
            }
            List<String> addresses = checked.addresses().stream().map(HostLiterals::text).toList();
            return new DestinationReport(destination.uri(), addresses,
                    HostLiterals.text(raw.getInetAddress()), session.getProtocol(), session.getCipherSuite(),
                    expires, status, Duration.ofNanos(System.nanoTime() - started).toMillis());
        } catch (IOException e) {
            throw new CheckFailure(run.check, destination, "connection failed: " + e.getMessage());
        } finally {
            run.socket = null;
            closeQuickly(socket);
        }
    }

    /** TCP to the checked addresses in the order DNS gave them, first one that answers. */
    private Socket connect(CheckedDestination checked, Run run) throws CheckFailure {
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (InetAddress address : checked.addresses()) {
            if (tried++ == ResolverProperties.MAX_ADDRESSES_TRIED) {
                break;
            }
            Socket socket = new Socket();
            run.socket = socket;
            try {
                socket.connect(new InetSocketAddress(address, checked.destination().port()),
                        millis(settings.connectTimeout()));
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                failures.add(HostLiterals.text(address) + ":" + checked.destination().port() + " "
                        + (e instanceof SocketTimeoutException
                                ? "did not accept a connection within " + seconds(settings.connectTimeout())
                                : "refused the connection (" + e.getMessage() + ")"));
            }
        }
        throw new CheckFailure(CheckFailure.TLS, checked.destination(), "cannot connect: " + String.join("; ", failures));
    }

    private SSLSocket handshake(Socket raw, Destination destination, Run run) throws CheckFailure {
        SSLSocket socket = null;
        try {
            raw.setSoTimeout(millis(settings.tlsTimeout()));
            socket = (SSLSocket) tls.socketFactory().createSocket(raw, destination.host(), destination.port(), true);
            run.socket = socket;
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(DestinationTls.PROTOCOLS.stream()
                    .filter(List.of(socket.getSupportedProtocols())::contains).toArray(String[]::new));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (destination.isName()) {
                parameters.setServerNames(List.of(new SNIHostName(destination.host())));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | IllegalArgumentException e) {
            closeQuickly(socket != null ? socket : raw);
            throw new CheckFailure(CheckFailure.TLS, destination, tlsReason(e));
        }
    }

    private int healthGet(SSLSocket socket, Destination destination) throws CheckFailure {
        long deadline = System.nanoTime() + settings.healthTimeout().toNanos();
        String request = "GET " + destination.pathAndQuery() + " HTTP/1.1\r\n"
                + "Host: " + destination.hostHeader() + "\r\n"
                + "User-Agent: Switchboard-resolver\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LineReader reader = new LineReader(socket, deadline);
            while (true) {
                String line = reader.line();
                if (line == null) {
                    throw new CheckFailure(CheckFailure.HEALTH, destination,
                            "closed the connection without answering GET " + destination.pathAndQuery());
                }
                Matcher status = STATUS_LINE.matcher(line);
                if (!status.matches()) {
                    throw new CheckFailure(CheckFailure.HEALTH, destination, "answered GET "
                            + destination.pathAndQuery() + " with something that is not HTTP/1.x");
                }
                int code = Integer.parseInt(status.group(1));
                if (code >= 200 || code == 101) {
                    return code;
                }
                // 1xx interim answer: skip its header block and read the final status line
                String header;
                while ((header = reader.line()) != null && !header.isEmpty()) {
                    // skipped
                }
            }
        } catch (SocketTimeoutException e) {
            throw new CheckFailure(CheckFailure.HEALTH, destination,
                    "no answer to GET " + destination.pathAndQuery() + " within " + seconds(settings.healthTimeout()));
        } catch (IOException e) {
            throw new CheckFailure(CheckFailure.HEALTH, destination,
                    "GET " + destination.pathAndQuery() + " failed: " + e.getMessage());
        }
    }

    /** Reads CRLF lines within one overall deadline, however slowly the bytes come. */
    private static final class LineReader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final byte[] buffer = new byte[1024];
        private int position;
        private int limit;

        LineReader(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (position == limit) {
                    long remaining = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                    if (remaining <= 0) {
                        throw new SocketTimeoutException("health deadline passed");
                    }
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
                    limit = in.read(buffer);
                    position = 0;
                    if (limit < 0) {
                        limit = 0;
                        return line.length() == 0 ? null : line.toString();
                    }
                }
                char c = (char) (buffer[position++] & 0xFF);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() == MAX_LINE) {
                    throw new IOException("a line of the answer is longer than " + MAX_LINE + " bytes");
                }
                line.append(c);
            }
        }
    }

    /** The reason a handshake failed, in the words a platform engineer searches for. */
    static String tlsReason(Exception failure) {
        if (failure instanceof SocketTimeoutException) {
            return "no TLS handshake within the timeout";
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return "certificate expired (" + cause.getMessage() + ")";
            }
            if (cause instanceof CertificateNotYetValidException) {
                return "certificate not yet valid (" + cause.getMessage() + ")";
            }
            if (cause instanceof CertPathBuilderException) {
                return "certificate not trusted: no path to a trusted root (system trust store"
                        + " or resolver.trust-store)";
            }
            if (cause instanceof CertificateException && cause.getMessage() != null
                    && (cause.getMessage().startsWith("No subject alternative")
                        || cause.getMessage().startsWith("No name matching"))) {
                return "certificate does not match the host name: " + cause.getMessage();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        if (failure instanceof SSLException) {
            return "TLS handshake failed: " + failure.getMessage();
        }
        return failure instanceof IllegalArgumentException
                ? "invalid server name for TLS: " + failure.getMessage()
                : "TLS connection failed: " + failure.getMessage();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Close without waiting long for the destination's own close_notify (the JDK waits up to the read timeout). */
    private static void closeQuickly(Socket socket) {
        try {
            socket.setSoTimeout(CLOSE_WAIT_MS);
        } catch (IOException ignored) {
            // already broken: closing is all that is left
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to add
        }
    }
}
