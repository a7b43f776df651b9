package io.wareedge.warehouse.bench;

import java.util.HashMap;
import java.util.Map;

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
}
