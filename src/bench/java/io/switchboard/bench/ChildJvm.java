package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the harness starts: the thing measured (Switchboard, a raw SQS loop) runs in its own process with its own
 * {@code -Xmx}, so that its heap and CPU time are its own. Everything it prints goes to a log file under the work
 * directory; lines starting with {@code @@} are the child's messages to the harness ("@@READY", "@@DONE ...").
 */
final class ChildJvm implements AutoCloseable {

    static final String MARK = "@@";

    private final String name;
    private final Process process;
    private final Path log;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final PrintWriter stdin;

    private ChildJvm(String name, Process process, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> pump(out), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** {@code java <jvmOptions> -cp <this classpath> <mainClass> <args>}, from {@code workingDir}. */
    static ChildJvm startClass(String name, List<String> jvmOptions, String mainClass, List<String> args, Path logDir)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        return start(name, command, logDir);
    }

    /** {@code java <jvmOptions> -jar <jar> <args>}: the packaged Switchboard, as it is deployed. */
    static ChildJvm startJar(String name, List<String> jvmOptions, Path jar, List<String> args, Path logDir)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return start(name, command, logDir);
    }

    private static ChildJvm start(String name, List<String> command, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(Path.of(System.getProperty("user.dir")).toFile())
                .redirectErrorStream(true)
                .start();
        return new ChildJvm(name, process, log);
    }

    /**
     * The test classpath of this JVM. Under Maven Surefire the JVM's own class path is a manifest-only booter jar,
     * so Surefire's record of the real one comes first.
     */
    static String classpath() {
        String explicit = System.getProperty("bench.classpath");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            return surefire;
        }
        return System.getProperty("java.class.path");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void pump(Writer out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); out) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write('\n');
                if (line.startsWith(MARK)) {
                    out.flush();
                    messages.add(line.substring(MARK.length()));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** Waits for the child's next message starting with {@code prefix}; returns what follows the prefix. */
    String await(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String message = messages.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))),
                    TimeUnit.NANOSECONDS);
            if (message != null) {
                if (message.startsWith(prefix)) {
                    return message.substring(prefix.length()).trim();
                }
                continue;
            }
            if (!process.isAlive() && messages.isEmpty()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before saying " + prefix + "; see " + log);
            }
            if (left <= 0) {
                throw new IllegalStateException(name + " did not say " + prefix + " within " + timeout + "; see " + log);
            }
        }
    }

    void send(String line) {
        stdin.println(line);
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time the whole process used so far (user + system, every thread), from the operating system. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it is still there after {@code grace}. Returns how long it took to go. */
    Duration terminate(Duration grace) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate(Duration.ofSeconds(30));
        }
    }
}
