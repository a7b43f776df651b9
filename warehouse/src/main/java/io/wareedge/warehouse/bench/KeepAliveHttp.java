package io.wareedge.warehouse.bench;

import io.wareedge.sim.picker.HandheldClient;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's handheld transport: one blocking HTTP/1.1 keep-alive connection per driver thread, written and
 * read on that thread. The JDK client hands every exchange to its selector and worker threads; on this machine
 * those wake-ups cost as much CPU as the server's own work, and the driver shares the cores with the server.
 * Handles what the control server sends: Content-Length or chunked bodies, {@code Connection: close}.
 */
final class KeepAliveHttp implements HandheldClient.Transport {
    private final InetSocketAddress address;
    private final String host;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();

    KeepAliveHttp(URI base) {
        this.address = new InetSocketAddress(base.getHost(), base.getPort());
        this.host = base.getHost() + ":" + base.getPort();
    }

    @Override
    public HandheldClient.Answer exchange(String method, String path, List<String> headers, byte[] body)
            throws IOException {
        Connection c = connections.get();
        if (c == null || c.socket.isClosed()) {
            c = new Connection(address);
            connections.set(c);
        }
        try {
            return c.exchange(method, path, host, headers, body);
        } catch (IOException e) {
            c.socket.close();
            throw e;
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        HandheldClient.Answer exchange(String method, String path, String host, List<String> headers, byte[] body)
                throws IOException {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
            for (int i = 0; i < headers.size(); i += 2) {
                head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body;
            if (body != null || !method.equals("GET")) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[h.length + content.length];
            System.arraycopy(h, 0, request, 0, h.length);
            System.arraycopy(content, 0, request, h.length, content.length);
            out.write(request); // one write: one segment for the server to read
            out.flush();

            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                String name = line.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.contains("chunked");
                    case "connection" -> close = value.contains("close");
                    default -> { }
                }
            }
            byte[] answer;
            if (code == 204 || code == 304 || method.equals("HEAD")) {
                answer = new byte[0];
            } else if (chunked) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                     size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    buf.write(in.readNBytes(size));
                    line();
                }
                while (!line().isEmpty()) { // trailers
                }
                answer = buf.toByteArray();
            } else if (length >= 0) {
                answer = in.readNBytes((int) length);
                if (answer.length < length) {
                    throw new EOFException("body cut at " + answer.length + " of " + length + " bytes");
                }
            } else {
                answer = in.readAllBytes();
                close = true;
            }
            if (close) {
                socket.close();
            }
            return new HandheldClient.Answer(code, answer);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (ch != '\r') {
                    b.append((char) ch);
                }
            }
            return b.toString();
        }
    }
}
