package io.wareedge.warehouse.bench;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;

/**
 * Diagnostic responder: the bare echo with Paho v5's packet codec but one thread that reads, answers and writes
 * (no Paho client threads). Usage: {@code PahoLoopEcho <broker url> <request topic> <reply topic> <qos>}.
 */
public final class PahoLoopEcho {
    private PahoLoopEcho() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int qos = Integer.parseInt(args[3]);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            OutputStream out = socket.getOutputStream();
            out.write(new MqttConnect("paho-loop-" + ProcessHandle.current().pid(), 5, true, 60, new MqttProperties(),
                    new MqttProperties()).serialize());
            read(in);
            MqttSubscribe sub = new MqttSubscribe(new MqttSubscription(args[1], 0), new MqttProperties());
            sub.setMessageId(1);
            out.write(sub.serialize());
            int id = 1;
            while (true) {
                MqttWireMessage m = read(in);
                if (m instanceof MqttPublish p) {
                    MqttMessage reply = new MqttMessage(p.getPayload());
                    reply.setQos(qos);
                    MqttPublish r = new MqttPublish(args[2], reply, new MqttProperties());
                    if (qos > 0) {
                        id = id % 65535 + 1;
                        r.setMessageId(id);
                    }
                    out.write(r.serialize());
                    if (p.getMessage().getQos() == 1) {
                        out.write(new MqttPubAck(0, p.getMessageId(), new MqttProperties()).serialize());
                    }
                }
            }
        }
    }

    private static MqttWireMessage read(DataInputStream in) throws IOException, org.eclipse.paho.mqttv5.common.MqttException {
        int first = in.readUnsignedByte();
        int len = 0;
        int shift = 0;
        int b;
        int lenBytes = 0;
        do {
            b = in.readUnsignedByte();
            len |= (b & 0x7f) << shift;
            shift += 7;
            lenBytes++;
        } while ((b & 0x80) != 0);
        byte[] frame = new byte[1 + lenBytes + len];
        frame[0] = (byte) first;
        byte[] enc = MqttWireMessage.encodeVariableByteInteger(len);
        System.arraycopy(enc, 0, frame, 1, enc.length);
        in.readFully(frame, 1 + lenBytes, len);
        return MqttWireMessage.createWireMessage(frame);
    }
}
