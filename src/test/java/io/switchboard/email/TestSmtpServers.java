package io.switchboard.email;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * Real SMTP servers in the test JVM (SubEthaSMTP: plain, STARTTLS, implicit TLS, AUTH PLAIN/LOGIN), plus
 * two raw sockets standing in for a relay that never answers and for a closed port.
 */
final class TestSmtpServers implements AutoCloseable {

    static final String USER = "relay-user";
    static final String PASSWORD = "relay-canary-pass-4242";

    private final List<SMTPServer> servers = new ArrayList<>();
    private final List<ServerSocket> sockets = new ArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private static SMTPServer.Builder server() {
        return SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("relay.test")
                .connectionTimeoutMs(10_000)
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    if (!USER.equals(user) || !PASSWORD.equals(password)) {
                        throw new LoginFailedException("5.7.8 Authentication credentials invalid");
                    }
                }));
    }

    private int start(SMTPServer.Builder builder) {
        SMTPServer server = builder.build();
        server.start();
        servers.add(server);
        return server.getPortAllocated();
    }

    /** Plain SMTP with AUTH. */
    int plain() {
        return start(server());
    }

    /** STARTTLS (certificate from {@code tls}) and AUTH after it. */
    int startTls(SSLContext tls) {
        return start(server().enableTLS().startTlsSocketFactory(tls));
    }

    /** Refuses everything but EHLO/STARTTLS/QUIT until STARTTLS: AUTH on the plain connection gets 530. */
    int requiresTls(SSLContext tls) {
        return start(server().enableTLS().requireTLS().showAuthCapabilitiesBeforeSTARTTLS(true).startTlsSocketFactory(tls));
    }

    /** Implicit TLS (SMTPS) with AUTH. */
    int implicitTls(SSLContext tls) {
        return start(server().serverSocketFactory(tls));
    }

    /** Greets with the given code, then closes: 421 (busy) or 554 (access denied). */
    int rejecting(int code, String message) {
        return start(server().sessionHandler(new SessionHandler() {
            @Override
            public SessionAcceptance accept(Session session) {
                return SessionAcceptance.failure(code, message);
            }

            @Override
            public void onSessionEnd(Session session) {
            }
        }));
    }

    /** Accepts TCP connections and never says a word. */
    int silent() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    held.add(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket.getLocalPort();
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        servers.forEach(SMTPServer::stop);
        for (Socket socket : held) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (ServerSocket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
