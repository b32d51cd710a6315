package io.switchboard.genesys;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Plain TCP listeners on 127.0.0.1 that count every connection they accept. */
final class TestListeners {

    private TestListeners() {
    }

    /** Accepts connections and never says a word (a TLS handshake to it times out); counts them. */
    static Listener silent() {
        return new Listener(socket -> {
            // hold the connection open without answering
        });
    }

    /**
     * Answers every ClientHello the way a server that only speaks TLS 1.1 does: with a ServerHello for
     * TLS 1.1. JDK 17 cannot serve TLS 1.1 itself (jdk.tls.disabledAlgorithms), so this is the wire-level
     * stand-in; a client limited to TLS 1.2+ must abort the handshake.
     */
    static Listener tls11Only() {
        return new Listener(TestListeners::answerWithTls11ServerHello);
    }

    private static void answerWithTls11ServerHello(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[5];
        in.readFully(header);
        byte[] clientHello = new byte[((header[3] & 0xFF) << 8) | (header[4] & 0xFF)];
        in.readFully(clientHello);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] body = new byte[38];
        body[0] = 0x03;
        body[1] = 0x02;                                   // server_version TLS 1.1
        System.arraycopy(random, 0, body, 2, 32);
        body[34] = 0x00;                                  // no session id
        body[35] = 0x00;
        body[36] = 0x2F;                                  // TLS_RSA_WITH_AES_128_CBC_SHA
        body[37] = 0x00;                                  // no compression
        byte[] record = new byte[5 + 4 + body.length];
        record[0] = 0x16;                                 // handshake
        record[1] = 0x03;
        record[2] = 0x02;                                 // record version TLS 1.1
        record[3] = 0x00;
        record[4] = (byte) (4 + body.length);
        record[5] = 0x02;                                 // ServerHello
        record[6] = 0x00;
        record[7] = 0x00;
        record[8] = (byte) body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        OutputStream out = socket.getOutputStream();
        out.write(record);
        out.flush();
        InputStream rest = socket.getInputStream();
        while (rest.read() >= 0) {
            // wait for the client's alert and close
        }
    }

    @FunctionalInterface
    interface Conversation {
        void run(Socket socket) throws IOException;
    }

    static final class Listener implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();

        Listener(Conversation conversation) {
            try {
                server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        open.add(socket);
                        Thread talk = new Thread(() -> {
                            try {
                                conversation.run(socket);
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        }, "test-listener-conversation");
                        talk.setDaemon(true);
                        talk.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "test-listener-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            for (Socket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
