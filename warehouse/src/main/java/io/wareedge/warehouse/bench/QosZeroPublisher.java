package io.wareedge.warehouse.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The telemetry bench's load generator: MQTT 5 QoS 0 publishes written straight to a socket, flushed once per batch.
 *
 * <p>Why not Paho's client, as before: its {@code publish} gives every QoS 0 message a packet id too, and looks for a
 * free one in a map of those in use, which grows with what is queued. At 40,000 samples/s that search was about a
 * quarter of the bench JVM's samples (JFR): CPU charged to the path under test. This one costs under 1 µs per sample;
 * the Node-RED peer's publisher ({@code telepub.js}, mqtt.js) 4.5-6.3 µs per point, both printed by the bench.
 *
 * <p>One thread (the caller's) uses an instance; no keep-alive (0 in CONNECT), so the broker sends nothing after
 * CONNACK.
 */
final class QosZeroPublisher implements TelemetryBench.LoadSender {

    private final Socket socket;
    private final OutputStream out;

    QosZeroPublisher(String url, String clientId) throws IOException {
        URI uri = URI.create(url.replace("tcp://", "http://"));
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] protocol = "MQTT".getBytes(StandardCharsets.US_ASCII);
        body.write(0);
        body.write(protocol.length);
        body.write(protocol);
        body.write(5);          // MQTT 5
        body.write(0x02);       // clean start
        body.write(0);          // keep-alive 0: off
        body.write(0);
        body.write(0);          // no properties
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        body.write(id.length >> 8);
        body.write(id.length & 0xff);
        body.write(id);
        writePacket(0x10, body.toByteArray());
        out.flush();
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int type = in.readUnsignedByte();
        int length = in.readUnsignedByte(); // a CONNACK without properties is short
        byte[] connack = new byte[length];
        in.readFully(connack);
        if (type != 0x20 || length < 2 || connack[1] != 0) {
            socket.close();
            throw new IOException("broker refused the connection: packet type 0x" + Integer.toHexString(type)
                    + ", reason code " + (length < 2 ? "none" : connack[1] & 0xff));
        }
    }

    /** Buffers one QoS 0 PUBLISH; it leaves with the next {@link #flush()} or when the buffer is full. */
    @Override
    public TelemetryBench.Sent send(String topic, byte[] payload) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + t.length + 1 + payload.length; // topic, property length 0, payload
        out.write(0x30);
        writeVariableInt(remaining);
        out.write(t.length >> 8);
        out.write(t.length & 0xff);
        out.write(t);
        out.write(0);
        out.write(payload);
        return TelemetryBench.Sent.SENT;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            out.write(0xe0); // DISCONNECT, normal
            out.write(0);
            out.flush();
        } finally {
            socket.close();
        }
    }

    private void writePacket(int header, byte[] body) throws IOException {
        out.write(header);
        writeVariableInt(body.length);
        out.write(body);
    }

    private void writeVariableInt(int value) throws IOException {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value > 0 ? b | 0x80 : b);
        } while (value > 0);
    }
}
