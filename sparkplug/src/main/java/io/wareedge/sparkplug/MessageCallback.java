package io.wareedge.sparkplug;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho callback for clients that handle messages and override only the events they care about; the others
 * are ignored. (Paho v5's per-subscription listeners are unreliable, so every client routes through one of these.)
 */
public abstract class MessageCallback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
        // automatic reconnect or the owner's reconnect loop handles it
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        // errors surface on the tokens of the operations that failed
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // publish completion is followed through the tokens themselves
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // nothing to redo by default
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
