package io.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * The live objects of a JVM by class ({@code jcmd <pid> GC.class_histogram}: a full GC first, so only what is
 * reachable counts), and what grew between two of them: the answer to "why does the heap grow".
 */
record HeapHistogram(long totalBytes, Map<String, long[]> classes) {

    /** Takes one of process {@code pid} (the harness's own through its diagnostic MBean, any other with jcmd). */
    static HeapHistogram of(long pid) throws IOException, InterruptedException {
        return parse(pid == ProcessHandle.current().pid() ? ownText() : jcmdText(pid));
    }

    private static String jcmdText(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + pid + " GC.class_histogram failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String ownText() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("no class histogram of this JVM", e);
        }
    }

    /** Lines " 1: 12345 678901 java.lang.String (java.base@17)" and "Total 123 456". */
    static HeapHistogram parse(String text) {
        Map<String, long[]> classes = new HashMap<>();
        long total = 0;
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Total")) {
                String[] parts = trimmed.split("\\s+");
                total = Long.parseLong(parts[2]);
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon < 1 || !Character.isDigit(trimmed.charAt(0))) {
                continue;
            }
            String[] parts = trimmed.substring(colon + 1).trim().split("\\s+");
            if (parts.length < 3) {
                continue;
            }
            classes.put(parts[2], new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
        }
        return new HeapHistogram(total, classes);
    }

    /** The {@code limit} classes whose bytes grew most from {@code before} to this one. */
    List<Map<String, Object>> grownSince(HeapHistogram before, int limit) {
        List<Map<String, Object>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : classes.entrySet()) {
            long[] then = before.classes().getOrDefault(entry.getKey(), new long[2]);
            long bytes = entry.getValue()[1] - then[1];
            if (bytes > 0) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", entry.getKey());
                row.put("bytesGrown", bytes);
                row.put("instancesGrown", entry.getValue()[0] - then[0]);
                row.put("instancesNow", entry.getValue()[0]);
                grown.add(row);
            }
        }
        grown.sort(Comparator.comparingLong((Map<String, Object> row) -> (Long) row.get("bytesGrown")).reversed());
        return grown.subList(0, Math.min(limit, grown.size()));
    }
}
