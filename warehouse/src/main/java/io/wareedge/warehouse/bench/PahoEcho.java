package io.wareedge.warehouse.bench;

import io.wareedge.sparkplug.MessageCallback;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.util.concurrent.CountDownLatch;

/**
 * A diagnostic responder for the sortation bench: the bare echo written with Paho v5 (what the agent's device
 * connection uses), so a run shows how much of the agent's round trip is Paho's own threads rather than the agent's
 * work. Usage: {@code PahoEcho <broker url> <request topic> <reply topic> <qos of the reply>}.
 */
public final class PahoEcho {
    private PahoEcho() {
    }

    public static void main(String[] args) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(args[0], "paho-echo-" + ProcessHandle.current().pid(), new MemoryPersistence());
        int qos = Integer.parseInt(args[3]);
        client.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                client.publish(args[2], message.getPayload(), qos, false);
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        options.setMaxReconnectDelay(1000);
        options.setReceiveMaximum(65535);
        client.connect(options).waitForCompletion();
        client.subscribe(args[1], 0).waitForCompletion();
        new CountDownLatch(1).await();
    }
}
