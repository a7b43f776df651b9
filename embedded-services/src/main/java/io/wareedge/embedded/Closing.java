package io.wareedge.embedded;

/** Stopping servers and clients that were started together (the warehouse, tests): all of them, even when one fails. */
public final class Closing {
    private Closing() {
    }

    /**
     * Closes each one that is not null, in the order given, all of them even when one fails; then throws the first
     * failure, so a broken shutdown still shows.
     */
    public static void all(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable c : resources) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
