package io.wareedge.sparkplug;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain TCP sockets with Nagle's algorithm off. Paho leaves it on, and small MQTT messages then wait for the peer's
 * delayed ACK: the ~40 ms stalls that would eat a sorter's divert budget. Pass to
 * {@code MqttConnectionOptions.setSocketFactory}.
 */
public final class TcpNoDelaySocketFactory extends SocketFactory {

    public static final TcpNoDelaySocketFactory INSTANCE = new TcpNoDelaySocketFactory();

    @Override
    public Socket createSocket() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = new Socket(host, port);
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new Socket(host, port, localHost, localPort);
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = new Socket(host, port);
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = new Socket(address, port, localAddress, localPort);
        s.setTcpNoDelay(true);
        return s;
    }
}
