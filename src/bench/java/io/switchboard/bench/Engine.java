package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One running engine of the events benchmark: a baseline (B1–B4), the Camel user's pipeline (N1) or Switchboard.
 * Every engine consumes its own queue on the harness's SQS server and (except B1, B2) posts to the harness's
 * sinks until it is stopped; the harness sees nothing else of it. Normally it runs in its own JVM
 * ({@link #main}); in the smoke run, inside the harness JVM.
 */
interface Engine extends AutoCloseable {

    /** The engine's process, or null when it runs inside the harness JVM. */
    ProcessHandle process();

    @Override
    void close();

    /** Starts {@code engine} (B1..B4, N1) with its settings, in its own JVM or in this one. */
    static Engine start(String engine, Map<String, String> settings, boolean inProcess, String heap, Path logDir)
            throws Exception {
        if (inProcess) {
            AutoCloseable running = run(engine, settings);
            return new Engine() {
                @Override
                public ProcessHandle process() {
                    return null;
                }

                @Override
                public void close() {
                    try {
                        running.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
        List<String> args = new ArrayList<>();
        args.add(engine);
        settings.forEach((key, value) -> args.add(key + "=" + value));
        ChildJvm jvm = ChildJvm.startClass("engine-" + engine.toLowerCase() + "-" + System.nanoTime() % 100_000,
                List.of("-Xmx" + heap, "-XX:+UseG1GC"), Engine.class.getName(), args, logDir);
        jvm.await("READY", Duration.ofMinutes(5));
        return new Engine() {
            @Override
            public ProcessHandle process() {
                return jvm.process().toHandle();
            }

            @Override
            public void close() {
                try {
                    jvm.send("STOP");
                    jvm.await("STOPPED", Duration.ofSeconds(60));
                } catch (InterruptedException | RuntimeException e) {
                    // killed below
                } finally {
                    try {
                        jvm.close();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    /** The engine itself, started in this JVM. */
    private static AutoCloseable run(String engine, Map<String, String> s) throws Exception {
        String endpoint = s.get("sqs.endpoint");
        int consumers = Integer.parseInt(s.get("consumers"));
        int wait = Integer.parseInt(s.get("wait-time-seconds"));
        List<String> sinks = List.of(s.get("sink.0"), s.get("sink.1"), s.get("sink.2"));
        BenchDatabase.Target db = s.containsKey("db.kind") ? BenchDatabase.Target.fromSettings(s) : null;
        if (engine.equals("N1")) {
            return new CamelUserPipeline(endpoint, s.get("sqs.queue-name"), consumers, wait, sinks, db).start();
        }
        return new BaselineLoop(BaselineLoop.Mode.valueOf(engine), endpoint, s.get("sqs.queue-url"), consumers, wait,
                sinks, db).start();
    }

    /**
     * {@code java -cp ... io.switchboard.bench.Engine B3 key=value...}: says {@code @@READY}, runs until it reads
     * {@code STOP} (or its input ends), says {@code @@STOPPED}.
     */
    static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        AutoCloseable running = run(args[0], settings);
        System.out.println(ChildJvm.MARK + "READY");
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        do {
            line = stdin.readLine();
        } while (line != null && !line.equals("STOP"));
        running.close();
        System.out.println(ChildJvm.MARK + "STOPPED");
        System.out.flush();
        System.exit(0);
    }
}
