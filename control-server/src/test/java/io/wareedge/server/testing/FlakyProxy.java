package io.wareedge.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on loopback between a client (a browser) and a server, whose network the test breaks on purpose:
 * {@link Mode#DOWN} refuses every connection (Wi-Fi gone), {@link Mode#ANSWERS_LOST} lets requests reach the
 * server but drops its answers and cuts the connection (Wi-Fi gone after the request left). Switching mode cuts
 * the connections open at that moment, so kept-alive connections cannot slip past it.
 */
public final class FlakyProxy implements AutoCloseable {
    public enum Mode { PASS, DOWN, ANSWERS_LOST }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;

    public FlakyProxy(URI target) throws IOException {
        this.upstream = new InetSocketAddress(target.getHost(), target.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "flaky-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    public void mode(Mode m) {
        this.mode = m;
        if (m != Mode.PASS) {
            live.forEach(FlakyProxy::closeQuietly);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (mode == Mode.DOWN) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(upstream, 2_000);
                live.add(client);
                live.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16_384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (mode == Mode.DOWN || (answers && mode == Mode.ANSWERS_LOST)) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side or a mode switch closed it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                live.remove(from);
                live.remove(to);
            }
        }, "flaky-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        live.forEach(FlakyProxy::closeQuietly);
    }
}
