package io.wareedge.warehouse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What every benchmark command starts with: {@code --key=value} options, and the project's quiet logging. */
final class BenchArgs {
    private BenchArgs() {
    }

    /** {@code --rate=5000 --verbose} → {rate=5000, verbose=true}. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (String s : args) {
            String[] kv = s.replaceFirst("^--", "").split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return out;
    }

    /** Several jars on the classpath ship a logback.xml; naming ours keeps the figures readable. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wareedge-logback.xml");
        }
    }

    /**
     * A fresh work directory for one run (databases, brokers' data, the agent's outbox), deleted when the JVM exits
     * unless {@code --keep-work} is given: a run leaves up to 2 GB of PostgreSQL data behind, and repeated runs
     * filled this machine's disk.
     */
    static Path workDir(String prefix, Map<String, String> args) throws IOException {
        Path work = Files.createTempDirectory(prefix);
        if (!args.containsKey("keep-work")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "bench-work-dir-cleanup"));
        }
        return work;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the work directory " + root + ": " + e.getMessage());
        }
    }
}
