package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The hand-written baselines Switchboard is measured against: bare AWS SDK v2 loops with the same SQS client
 * set-up as Switchboard's ({@code SqsClient.builder()}, default HTTP client), the same number of consumer threads
 * and the same receive (10 messages, the same long-polling wait). Each runs until stopped; the harness sees only
 * what reaches SQS and the sinks.
 * <ul>
 *   <li><b>B1</b>: receive 10, delete each with its own DeleteMessage call;</li>
 *   <li><b>B2</b>: receive 10, delete them with one DeleteMessageBatch call (the SQS floor);</li>
 *   <li><b>B3</b>: receive 10, POST each message to the three sinks, each sink on its own threads over keep-alive
 *       connections, then DeleteMessageBatch: the same external job as Switchboard without any guarantee;</li>
 *   <li><b>B4</b>: B3 plus one JDBC batch insert of the 10 per receive ({@code ON CONFLICT DO NOTHING}), committed
 *       before anything is sent or deleted; a message whose insert found its id already there is not sent again
 *       (the insert is the de-duplication): the durable floor. On H2 with {@code WRITE_DELAY 0}, as Switchboard
 *       runs its H2 file, so that a commit is on disk before its messages are deleted.</li>
 * </ul>
 */
final class BaselineLoop implements AutoCloseable {

    enum Mode { B1, B2, B3, B4 }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mode mode;
    private final SqsClient sqs;
    private final String queueUrl;
    private final int waitSeconds;
    private final List<String> sinkUrls;
    private final HttpClient http;
    private final List<ExecutorService> sinkThreads = new ArrayList<>();
    private final BenchDatabase.Target database;
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param sinkUrls the three sinks (B3, B4)
     * @param database the JDBC target (B4), else null
     */
    BaselineLoop(Mode mode, String endpoint, String queueUrl, int threads, int waitSeconds, List<String> sinkUrls,
                 BenchDatabase.Target database) throws SQLException {
        this.mode = mode;
        this.sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SqsServer.ACCESS_KEY, SqsServer.ACCESS_KEY)))
                .build();
        this.queueUrl = queueUrl;
        this.waitSeconds = waitSeconds;
        this.sinkUrls = sinkUrls;
        this.database = database;
        // HTTP/1.1 keep-alive connections, pooled per sink by the client
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        if (mode == Mode.B3 || mode == Mode.B4) {
            for (int s = 0; s < sinkUrls.size(); s++) {
                // every consumer's 10 messages in flight at once at every sink
                sinkThreads.add(Executors.newFixedThreadPool(threads * 10, daemon("b-sink-" + s)));
            }
        }
        if (mode == Mode.B4) {
            try (Connection db = database.connect()) {
                db.createStatement().execute("CREATE TABLE IF NOT EXISTS bench_events (id VARCHAR(64) PRIMARY KEY, "
                        + "interaction_id VARCHAR(200), body VARCHAR(8000) NOT NULL)");
                if (database.kind() == BenchDatabase.Kind.H2) {
                    // durable as Switchboard's H2 file is (H2FileStore): a commit is on disk before the delete.
                    // H2's default writes commits up to 500 ms later, which a kill -9 would lose
                    db.createStatement().execute("SET WRITE_DELAY 0");
                }
            }
        }
        for (int t = 0; t < threads; t++) {
            Thread consumer = new Thread(this::consume, "b-consumer-" + t);
            consumer.setDaemon(true);
            consumers.add(consumer);
        }
    }

    BaselineLoop start() {
        consumers.forEach(Thread::start);
        return this;
    }

    private void consume() {
        Connection db = null;
        PreparedStatement insert = null;
        try {
            if (mode == Mode.B4) {
                db = database.connect();
                db.setAutoCommit(false);
                insert = db.prepareStatement("INSERT INTO bench_events (id, interaction_id, body) VALUES (?, ?, ?) "
                        + "ON CONFLICT DO NOTHING");
            }
            while (!stopped) {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds)).messages();
                if (messages.isEmpty()) {
                    continue;
                }
                switch (mode) {
                    case B1 -> messages.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl)
                            .receiptHandle(m.receiptHandle())));
                    case B2 -> deleteBatch(messages);
                    case B3 -> {
                        post(messages, parse(messages));
                        deleteBatch(messages);
                    }
                    case B4 -> {
                        List<JsonNode> events = parse(messages);
                        boolean[] fresh = record(db, insert, events, messages);
                        List<Message> toSend = new ArrayList<>();
                        List<JsonNode> toSendEvents = new ArrayList<>();
                        for (int i = 0; i < messages.size(); i++) {
                            if (fresh[i]) {
                                toSend.add(messages.get(i));
                                toSendEvents.add(events.get(i));
                            }
                        }
                        post(toSend, toSendEvents);
                        deleteBatch(messages);
                    }
                    default -> throw new IllegalStateException(String.valueOf(mode));
                }
            }
        } catch (RuntimeException | SQLException | InterruptedException e) {
            if (!stopped) {
                e.printStackTrace();
            }
        } finally {
            if (db != null) {
                try {
                    db.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static List<JsonNode> parse(List<Message> messages) {
        List<JsonNode> events = new ArrayList<>(messages.size());
        for (Message message : messages) {
            try {
                events.add(JSON.readTree(message.body()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return events;
    }

    /** One batch insert of the poll, committed; which messages were new (update count 1). */
    private static boolean[] record(Connection db, PreparedStatement insert, List<JsonNode> events, List<Message> messages)
            throws SQLException {
        for (int i = 0; i < messages.size(); i++) {
            insert.setString(1, events.get(i).path("id").asText());
            insert.setString(2, events.get(i).path("detail").path("interaction.id").asText());
            insert.setString(3, messages.get(i).body());
            insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        db.commit();
        boolean[] fresh = new boolean[counts.length];
        // a duplicate within one poll: both rows ask for the insert, the second finds the first
        for (int i = 0; i < counts.length; i++) {
            fresh[i] = counts[i] != 0;
        }
        return fresh;
    }

    /** Each message to every sink (each sink on its own threads), all answered before the delete. */
    private void post(List<Message> messages, List<JsonNode> events) throws InterruptedException {
        List<Future<?>> calls = new ArrayList<>(messages.size() * sinkUrls.size());
        for (int s = 0; s < sinkUrls.size(); s++) {
            URI sink = URI.create(sinkUrls.get(s));
            for (int i = 0; i < messages.size(); i++) {
                HttpRequest request = HttpRequest.newBuilder(sink)
                        .header("Content-Type", "application/json")
                        .header("X-Event-Id", events.get(i).path("id").asText())
                        .header("X-Interaction-Id", events.get(i).path("detail").path("interaction.id").asText())
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(messages.get(i).body())).build();
                calls.add(sinkThreads.get(s).submit(() -> {
                    HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() >= 300) {
                        throw new IllegalStateException("sink answered " + answer.statusCode());
                    }
                    return null;
                }));
            }
        }
        for (Future<?> call : calls) {
            try {
                call.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void deleteBatch(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + i)
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        stopped = true;
        for (Thread consumer : consumers) {
            try {
                consumer.join(Duration.ofSeconds(waitSeconds + 5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sinkThreads.forEach(ExecutorService::shutdownNow);
        sqs.close();
    }
}
