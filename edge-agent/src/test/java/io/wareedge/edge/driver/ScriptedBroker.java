package io.wareedge.edge.driver;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A broker played by the test, packet by packet, on a loopback port: for what a real broker would never send. */
final class ScriptedBroker implements AutoCloseable {
    private final ServerSocket server;

    ScriptedBroker() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    Session accept() throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return new Session(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    static final class Session implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        /** The next packet's bytes, fixed header included. */
        byte[] readRaw() throws IOException {
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(in.readUnsignedByte());
            int length = 0;
            int multiplier = 1;
            int b;
            do {
                b = in.readUnsignedByte();
                packet.write(b);
                length += (b & 0x7f) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0);
            byte[] body = new byte[length];
            in.readFully(body);
            packet.write(body);
            return packet.toByteArray();
        }

        MqttWireMessage read() throws IOException, MqttException {
            return MqttWireMessage.createWireMessage(readRaw());
        }

        /** Null when the client sends nothing within the time given. */
        byte[] readRawWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                return readRaw();
            } catch (SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(10_000);
            }
        }

        void send(byte[]... packets) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] p : packets) {
                all.write(p);
            }
            socket.getOutputStream().write(all.toByteArray());
            socket.getOutputStream().flush();
        }

        void send(MqttWireMessage m) throws IOException, MqttException {
            send(m.serialize());
        }

        /** Reads CONNECT and answers it. */
        MqttWireMessage connAck(boolean sessionPresent, int reasonCode, Integer receiveMaximum) throws IOException, MqttException {
            MqttWireMessage connect = read();
            MqttProperties props = new MqttProperties();
            if (receiveMaximum != null) {
                props.setReceiveMaximum(receiveMaximum);
            }
            send(new MqttConnAck(sessionPresent, reasonCode, props));
            return connect;
        }

        /** Reads SUBSCRIBE and answers it with one reason code for every filter. */
        MqttSubscribe subAck(int reasonCode) throws IOException, MqttException {
            MqttSubscribe sub = (MqttSubscribe) read();
            int[] codes = new int[sub.getSubscriptions().length];
            java.util.Arrays.fill(codes, reasonCode);
            MqttSubAck ack = new MqttSubAck(codes, new MqttProperties());
            ack.setMessageId(sub.getMessageId());
            send(ack);
            return sub;
        }

        boolean closedByClient() throws IOException {
            socket.setSoTimeout(10_000);
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
