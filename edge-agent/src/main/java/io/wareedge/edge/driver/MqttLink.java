package io.wareedge.edge.driver;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttPingReq;
import org.eclipse.paho.mqttv5.common.packet.MqttPingResp;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * One MQTT 5 client connection to a device broker in which a single thread reads a packet, runs the listener (which
 * may publish) and writes the answers: Eclipse Paho's v5 packet codec without Paho's client threads (and
 * {@link HotPackets} for the PUBLISH and PUBACK of every message).
 *
 * <p>Why not Paho's {@code MqttAsyncClient}: it hands every received message from its receive thread to its callback
 * thread, and every publish from the caller to its send thread. For a sorter that is two thread wake-ups between an
 * induction and its divert, and on the gateways measured a Paho echo with no logic at all was already 1.6x the bare
 * broker round trip (docs/benchmarks.md). Here the divert is written by the thread that read the induction.
 *
 * <p>What it does: clean start off with a session expiry (the broker keeps messages while the agent is away),
 * subscriptions at QoS 1, a QoS 1 message acknowledged only after the listener returned, QoS 0 and 1 publishes with
 * the broker's receive maximum respected, unacknowledged QoS 1 publishes sent again (DUP) when the session survived a
 * reconnect, keep-alive pings, TCP_NODELAY. What it does not: QoS 2, topic aliases, enhanced authentication, user
 * name and password, WebSockets (device brokers are {@code tcp://} or {@code ssl://}). A broker that sends a packet
 * outside that (or a malformed one) loses the connection; the packet goes to the listener with its raw bytes.
 *
 * <p>Threading: {@link #connect} runs on the caller's thread (the reconnect loop) until the reader thread
 * {@code mqtt-<name>} of that connection starts; the listener is called only on the reader thread. Writes from any
 * thread go through one lock; the reader's writes are buffered and leave together before it blocks on the socket.
 * The session's unacknowledged publishes are guarded by their own monitor.
 */
final class MqttLink implements AutoCloseable {

    /** What the link reports, always on its reader thread. */
    interface Listener {
        /** A message arrived; a QoS 1 message is acknowledged after this returns. */
        void message(String topic, byte[] payload, boolean duplicate);

        /** The connection is gone: closed by the broker, the network, a missed keep-alive, or a bad packet. */
        void lost(String reason);

        /** The broker sent a packet this client cannot accept; the connection is dropped after this. */
        void badPacket(byte[] raw, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
    /** Largest packet accepted from the broker (announced in CONNECT, so a compliant broker never sends more). */
    static final int MAX_PACKET = 1 << 20;
    /** Messages read (and held back) while the reader waits for a publish slot; beyond this the publish fails. */
    private static final int DEFERRED_MAX = 10_000;
    private static final int DUP_FLAG = 0x08;
    /** The subscription's packet id; publishes use the others. */
    private static final int SUBSCRIBE_ID = 65_535;

    private final String name;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String clientId;
    private final Duration sessionExpiry;
    private final Duration keepAlive;
    private final int receiveMaximum;
    private final Duration sendWait;
    private final Listener listener;
    private final IntConsumer unsent;
    /** The session's QoS 1 publishes the broker has not acknowledged, by packet id, in sending order. */
    private final Map<Integer, byte[]> inflight = new LinkedHashMap<>();
    private int nextPacketId = 1;
    private volatile Connection current;
    private volatile boolean closed;

    /**
     * @param url      {@code tcp://host:port} or {@code ssl://host:port}
     * @param sendWait how long a QoS 1 publish waits for a free slot when the broker's receive maximum is reached
     * @param unsent   told how many QoS 1 publishes were dropped unacknowledged (a new session, or closing)
     */
    MqttLink(String name, String url, String clientId, Duration sessionExpiry, Duration keepAlive, int receiveMaximum,
             Duration sendWait, Listener listener, IntConsumer unsent) {
        URI uri = URI.create(url);
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("device broker " + name + ": must be tcp://host:port or ssl://host:port, was " + url);
        }
        this.name = name;
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.tls = "ssl".equals(uri.getScheme());
        this.clientId = clientId;
        this.sessionExpiry = sessionExpiry;
        this.keepAlive = keepAlive;
        this.receiveMaximum = receiveMaximum;
        this.sendWait = sendWait;
        this.listener = listener;
        this.unsent = unsent;
    }

    boolean isConnected() {
        Connection c = current;
        return c != null && !c.dead;
    }

    /**
     * Connects and subscribes to every filter at QoS 1, waiting up to {@code timeout} for each answer. Messages the
     * broker kept for the session may reach the listener before this returns.
     */
    void connect(List<String> filters, Duration timeout) throws IOException {
        if (closed) {
            throw new IOException("device broker " + name + ": link closed");
        }
        Connection old = current;
        if (old != null) {
            // Its reader must be done with the listener before a new one starts calling it.
            old.quiet = true;
            old.close("reconnecting");
            old.join();
        }
        Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        if (socket instanceof SSLSocket s) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
        }
        Connection c = new Connection(socket);
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            c.open();
            MqttProperties props = new MqttProperties();
            props.setSessionExpiryInterval(sessionExpiry.toSeconds());
            props.setReceiveMaximum(receiveMaximum);
            props.setMaximumPacketSize((long) MAX_PACKET);
            c.write(new MqttConnect(clientId, 5, false, (int) keepAlive.toSeconds(), props, new MqttProperties()).serialize());
            c.flush();
            socket.setSoTimeout((int) timeout.toMillis());
            MqttWireMessage answer = c.decode(c.readPacket());
            if (!(answer instanceof MqttConnAck ack)) {
                throw new IOException("device broker " + name + " answered CONNECT with " + answer.getClass().getSimpleName());
            }
            if (ack.getReturnCode() >= 0x80) {
                throw new IOException("device broker " + name + " refused the connection: reason code 0x"
                        + Integer.toHexString(ack.getReturnCode()));
            }
            Integer max = ack.getProperties().getReceiveMaximum();
            c.serverReceiveMaximum = max == null || max <= 0 ? 65_535 : max;
            continueSession(c, ack.getSessionPresent());
            socket.setSoTimeout((int) Math.max(100, Math.min(1000, keepAlive.toMillis() / 4)));
            current = c;
            c.start();
            if (!filters.isEmpty()) {
                c.subscribe(filters, timeout);
            }
            // From here a loss is the reader's to report; one that came first is this attempt's failure.
            c.established = true;
            if (c.dead) {
                throw new IOException("device broker " + name + ": connection lost while subscribing (" + c.closeReason + ")");
            }
        } catch (IOException | RuntimeException e) {
            c.abandon();
            throw e;
        } catch (MqttException e) {
            c.abandon();
            throw new IOException("device broker " + name + ": " + e.getMessage(), e);
        }
    }

    /** Sends the session's unacknowledged publishes again when the broker kept the session; else they are lost. */
    private void continueSession(Connection c, boolean sessionPresent) throws IOException {
        synchronized (inflight) {
            if (inflight.isEmpty()) {
                return;
            }
            if (!sessionPresent) {
                LOG.warn("device broker {}: the session was not kept; {} unacknowledged commands dropped", name, inflight.size());
                unsent.accept(inflight.size());
                inflight.clear();
                return;
            }
            for (byte[] packet : inflight.values()) {
                packet[0] |= DUP_FLAG;
                c.write(packet);
            }
            c.flush();
        }
    }

    /**
     * Publishes without waiting for the broker's acknowledgement. A QoS 1 publish needs a slot under the broker's
     * receive maximum; it waits up to the send wait for one (on the reader thread by reading the acknowledgements
     * itself; messages read meanwhile are handled afterwards, in order).
     *
     * @return false when not connected, no slot came free in time, or the write failed
     */
    boolean publish(String topic, byte[] payload, int qos) {
        Connection c = current;
        if (c == null || c.dead || qos < 0 || qos > 1) {
            return false;
        }
        try {
            byte[] bytes;
            if (qos == 0) {
                bytes = HotPackets.publish(topic, payload, 0, 0);
            } else {
                int id = c.acquireSlot();
                if (id == 0) {
                    return false;
                }
                bytes = HotPackets.publish(topic, payload, 1, id);
                synchronized (inflight) {
                    inflight.put(id, bytes);
                }
            }
            c.write(bytes);
            if (Thread.currentThread() != c.reader) {
                c.flush();
            }
            return true;
        } catch (BadPacket e) {
            listener.badPacket(e.raw, e.getMessage());
            c.close(e.getMessage());
            return false;
        } catch (IOException e) {
            c.close(e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.write(new MqttDisconnect(0, new MqttProperties()).serialize());
                c.flush();
            } catch (IOException | MqttException e) {
                LOG.debug("device broker {}: DISCONNECT not sent: {}", name, e.toString());
            }
            c.quiet = true;
            c.close("closed");
            c.join();
        }
    }

    /** One TCP connection and its reader thread. */
    private final class Connection {
        private final Socket socket;
        private final ReentrantLock writeLock = new ReentrantLock();
        private InputStream in;
        private OutputStream out;
        private Thread reader;
        private volatile boolean dead;
        private volatile String closeReason = "closed";
        /** Set once connect() has finished: from then on a loss is reported to the listener (unless quiet). */
        private volatile boolean established;
        /** Replaced or failed while connecting, or the link is closing: a loss is nobody's news. */
        private volatile boolean quiet;
        int serverReceiveMaximum = 65_535;
        /** Reader-thread state: the bytes read and not yet cut into packets. */
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;
        private final ArrayDeque<byte[]> deferred = new ArrayDeque<>();
        private final HotPackets hot = new HotPackets();
        private final byte[] ack = new byte[4];
        private long lastReadNanos = System.nanoTime();
        private volatile long lastWriteNanos = System.nanoTime();
        private long pingSentNanos;
        private volatile CompletableFuture<MqttSubAck> subscribed;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void open() throws IOException {
            in = socket.getInputStream();
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        void start() {
            reader = new Thread(this::readLoop, "mqtt-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void subscribe(List<String> filters, Duration timeout) throws IOException, MqttException {
            MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
            MqttSubscribe sub = new MqttSubscribe(subs, new MqttProperties());
            CompletableFuture<MqttSubAck> answer = new CompletableFuture<>();
            subscribed = answer;
            sub.setMessageId(SUBSCRIBE_ID);
            write(sub.serialize());
            flush();
            MqttSubAck ack;
            try {
                ack = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while subscribing", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("device broker " + name + " did not acknowledge the subscriptions: " + e, e);
            }
            int[] codes = ack.getReturnCodes();
            for (int i = 0; i < codes.length && i < filters.size(); i++) {
                if (codes[i] >= 0x80) {
                    throw new IOException("device broker " + name + " refused the subscription " + filters.get(i)
                            + ": reason code 0x" + Integer.toHexString(codes[i]));
                }
            }
        }

        void write(byte[] packet) throws IOException {
            writeLock.lock();
            try {
                out.write(packet);
                lastWriteNanos = System.nanoTime();
            } finally {
                writeLock.unlock();
            }
        }

        void flush() throws IOException {
            writeLock.lock();
            try {
                out.flush();
            } finally {
                writeLock.unlock();
            }
        }

        private void readLoop() {
            String reason = "closed";
            try {
                while (!dead) {
                    byte[] raw = deferred.poll();
                    if (raw == null) {
                        raw = bufferedPacket();
                    }
                    if (raw == null) {
                        // Everything handled so far (diverts, acknowledgements) leaves before the thread blocks.
                        flush();
                        fill();
                        continue;
                    }
                    dispatch(raw);
                }
            } catch (BadPacket e) {
                reason = e.getMessage();
                listener.badPacket(e.raw, e.getMessage());
            } catch (IOException e) {
                reason = e.getMessage() == null ? e.toString() : e.getMessage();
            } finally {
                close(reason);
                if (established && !quiet && !closed) {
                    listener.lost(closeReason);
                }
            }
        }

        private void dispatch(byte[] raw) throws IOException {
            try {
                int type = HotPackets.type(raw);
                if (type == HotPackets.PUBLISH) {
                    onPublish(hot.readPublish(raw), raw);
                } else if (type == HotPackets.PUBACK) {
                    int[] idAndReason = HotPackets.readPubAck(raw);
                    release(idAndReason[0], idAndReason[1]);
                } else {
                    handleOther(raw, decode(raw));
                }
            } catch (HotPackets.Malformed e) {
                throw new BadPacket(raw, e.getMessage());
            }
        }

        private void onPublish(HotPackets.Publish p, byte[] raw) throws IOException {
            if (p.qos() > 1) {
                throw new BadPacket(raw, "a QoS 2 message although every subscription is QoS 1");
            }
            try {
                listener.message(p.topic(), p.payload(), p.duplicate());
            } catch (RuntimeException e) {
                LOG.error("device broker {}: handling a message on {} failed", name, p.topic(), e);
            }
            if (p.qos() == 1) {
                HotPackets.pubAck(ack, p.packetId());
                write(ack);
            }
        }

        private void handleOther(byte[] raw, MqttWireMessage m) throws IOException {
            if (m instanceof MqttSubAck subAck && subscribed != null && subAck.getMessageId() == SUBSCRIBE_ID) {
                subscribed.complete(subAck);
            } else if (m instanceof MqttDisconnect d) {
                throw new IOException("device broker " + name + " disconnected: reason code 0x" + Integer.toHexString(d.getReturnCode()));
            } else if (!(m instanceof MqttPingResp)) {
                throw new BadPacket(raw, "an unexpected " + m.getClass().getSimpleName().replace("Mqtt", "").toUpperCase()
                        + " packet");
            }
        }

        private void release(int packetId, int reasonCode) {
            synchronized (inflight) {
                if (inflight.remove(packetId) != null) {
                    inflight.notifyAll();
                }
            }
            if (reasonCode >= 0x80) {
                unsent.accept(1);
                LOG.warn("device broker {} refused a command: reason code 0x{}", name, Integer.toHexString(reasonCode));
            }
        }

        /** A free packet id under the broker's receive maximum, or 0 when none came free within the send wait. */
        int acquireSlot() throws IOException {
            long deadline = System.nanoTime() + sendWait.toNanos();
            while (true) {
                synchronized (inflight) {
                    if (inflight.size() < serverReceiveMaximum) {
                        int id;
                        do {
                            id = nextPacketId;
                            nextPacketId = nextPacketId % (SUBSCRIBE_ID - 1) + 1;
                        } while (inflight.containsKey(id));
                        return id;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || dead) {
                        return 0;
                    }
                    if (Thread.currentThread() != reader) {
                        try {
                            TimeUnit.NANOSECONDS.timedWait(inflight, left);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return 0;
                        }
                        continue;
                    }
                }
                if (!readWhileWaiting()) {
                    return 0;
                }
            }
        }

        /**
         * On the reader thread, while every slot is taken: the acknowledgements that free one arrive on this very
         * socket, so read it; messages read meanwhile wait (in order) until the current one is handled.
         */
        private boolean readWhileWaiting() throws IOException {
            flush();
            byte[] raw = bufferedPacket();
            if (raw == null) {
                fill();
                return true;
            }
            if (HotPackets.type(raw) == HotPackets.PUBLISH) {
                if (deferred.size() >= DEFERRED_MAX) {
                    return false;
                }
                deferred.add(raw);
                return true;
            }
            dispatch(raw);
            return true;
        }

        /** Reads more bytes, waiting at most the socket's timeout; keeps the connection alive while idle. */
        private void fill() throws IOException {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_PACKET + 5));
                }
            }
            try {
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    throw new IOException("device broker " + name + " closed the connection");
                }
                end += n;
                lastReadNanos = System.nanoTime();
                pingSentNanos = 0;
            } catch (SocketTimeoutException idle) {
                // no bytes within the tick: only the keep-alive below has something to do
            }
            keepAlive();
        }

        private void keepAlive() throws IOException {
            long now = System.nanoTime();
            long interval = keepAlive.toNanos();
            if (pingSentNanos != 0) {
                if (now - pingSentNanos > interval) {
                    throw new IOException("device broker " + name + " did not answer a ping within " + keepAlive);
                }
            } else if (now - lastWriteNanos >= interval / 2 || now - lastReadNanos >= interval / 2) {
                try {
                    write(new MqttPingReq().serialize());
                } catch (MqttException e) {
                    throw new IOException(e);
                }
                flush();
                pingSentNanos = now;
            }
        }

        /** The next whole packet in the buffer (fixed header included), or null when it has not all arrived. */
        private byte[] bufferedPacket() throws BadPacket {
            int available = end - start;
            int length = 0;
            int multiplier = 1;
            int i = 1;
            while (true) {
                if (i >= available) {
                    return null;
                }
                int b = buf[start + i] & 0xff;
                length += (b & 0x7f) * multiplier;
                i++;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (i > 4) {
                    throw new BadPacket(Arrays.copyOfRange(buf, start, start + i), "a remaining length longer than 4 bytes");
                }
                multiplier *= 128;
            }
            int total = i + length;
            if (total > MAX_PACKET) {
                throw new BadPacket(Arrays.copyOfRange(buf, start, start + i), "a packet of " + total
                        + " bytes, above the maximum of " + MAX_PACKET + " announced");
            }
            if (available < total) {
                if (start + total > buf.length) {
                    System.arraycopy(buf, start, buf, 0, available);
                    start = 0;
                    end = available;
                    if (total > buf.length) {
                        buf = Arrays.copyOf(buf, total);
                    }
                }
                return null;
            }
            byte[] packet = Arrays.copyOfRange(buf, start, start + total);
            start += total;
            if (start == end) {
                start = 0;
                end = 0;
            }
            return packet;
        }

        /** Blocks (up to the socket's timeout, then fails) for one whole packet: only while connecting. */
        byte[] readPacket() throws IOException {
            while (true) {
                byte[] raw = bufferedPacket();
                if (raw != null) {
                    return raw;
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    throw new IOException("device broker " + name + " closed the connection");
                }
                end += n;
            }
        }

        MqttWireMessage decode(byte[] raw) throws BadPacket {
            try {
                return MqttWireMessage.createWireMessage(raw);
            } catch (MqttException | RuntimeException e) {
                throw new BadPacket(raw, "a malformed packet (" + e.getMessage() + ")");
            }
        }

        void close(String reason) {
            if (dead) {
                return;
            }
            closeReason = reason;
            dead = true;
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("device broker {}: closing the socket: {}", name, e.toString());
            }
            synchronized (inflight) {
                inflight.notifyAll();
            }
            CompletableFuture<MqttSubAck> s = subscribed;
            if (s != null) {
                s.completeExceptionally(new IOException(reason));
            }
        }

        /** A connection that failed while connecting: closed without a report, its reader finished. */
        void abandon() {
            quiet = true;
            close("connect failed");
            join();
        }

        void join() {
            if (reader != null && Thread.currentThread() != reader) {
                try {
                    reader.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A packet from the broker this client cannot accept, with its raw bytes. */
    private static final class BadPacket extends IOException {
        final byte[] raw;

        BadPacket(byte[] raw, String reason) {
            super(reason);
            this.raw = raw;
        }
    }
}
