package io.wareedge.edge.connect;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho callback for clients that only care about messages and lost connections. */
public abstract class MqttEvents implements MqttCallback {
    @Override
    public void deliveryComplete(IMqttToken token) {
        // publish completion is followed through the tokens themselves
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // connections are driven by ReconnectLoop, which knows when one completes
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
