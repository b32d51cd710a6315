package io.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay between the engines and the SQS server, which can hold back what the engines send. While it holds,
 * an engine's requests (its long polls above all) wait here instead of in the SQS server, so that the harness can
 * preload a drain without a receive waiting in the server: ElasticMQ 1.7.1 sorts every message of a queue at each
 * send while a receive waits on it ({@code QueueActorWaitForMessagesOps.scheduleTryReplyWhenAvailable}), which made
 * a 20,000-message preload's sends fall up to 23 s behind their plan on a 2-core AMD EPYC. Bytes are passed on
 * untouched; the responses always flow.
 */
final class SqsGate implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sqs-gate");
        thread.setDaemon(true);
        return thread;
    });
    /** Open while its count is 0. */
    private volatile CountDownLatch open = new CountDownLatch(0);

    SqsGate(int serverPort) throws IOException {
        this.serverPort = serverPort;
        listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, what the engines send waits here until {@link #release()}. */
    void hold() {
        if (open.getCount() == 0) {
            open = new CountDownLatch(1);
        }
    }

    void release() {
        open.countDown();
    }

    @Override
    public void close() throws IOException {
        release();
        listener.close();
        threads.shutdownNow();
    }

    private Void accept() {
        while (!listener.isClosed()) {
            Socket engine;
            try {
                engine = listener.accept();
            } catch (IOException e) {
                continue; // the listener closed (the loop ends), or one accept failed
            }
            try {
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                engine.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                threads.submit(() -> pump(engine, server, true));
                threads.submit(() -> pump(server, engine, false));
            } catch (IOException e) {
                closeQuietly(engine); // the server refused: the engine's client sees the connection end and opens another
            }
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Copies one direction of a connection until either side closes it (which closes both). */
    private Void pump(Socket from, Socket to, boolean gated) {
        byte[] buffer = new byte[64 * 1024];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (gated) {
                    open.await();
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended
        }
        return null;
    }
}
