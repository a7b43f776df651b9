package io.wareedge.sparkplug;

import javax.net.SocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain TCP sockets for Paho, tuned for many small MQTT messages. Pass to
 * {@code MqttConnectionOptions.setSocketFactory}.
 * <ul>
 *   <li>Nagle's algorithm off. Paho leaves it on, and small MQTT messages then wait for the peer's delayed ACK: the
 *   ~40 ms stalls that would eat a sorter's divert budget.</li>
 *   <li>A buffered input stream. Paho reads each packet's fixed header byte by byte from the socket's stream; on a
 *   raw socket that is three or four system calls per message, on a busy link most of a reading's cost. Buffered,
 *   one call fetches as many packets as have arrived.</li>
 * </ul>
 */
public final class TcpNoDelaySocketFactory extends SocketFactory {

    public static final TcpNoDelaySocketFactory INSTANCE = new TcpNoDelaySocketFactory();
    private static final int RECEIVE_BUFFER = 64 * 1024;

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new BufferedSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    /** A socket whose input stream is buffered; only Paho's receiver thread reads it. */
    private static final class BufferedSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), RECEIVE_BUFFER) {
                    /**
                     * Paho asks before every packet whether bytes are waiting, only as a hint: answer from the buffer
                     * when it holds some, instead of a system call (FIONREAD) per message.
                     */
                    @Override
                    public synchronized int available() throws IOException {
                        int buffered = count - pos;
                        return buffered > 0 ? buffered : super.available();
                    }
                };
            }
            return in;
        }
    }
}
