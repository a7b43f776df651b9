package io.wareedge.server.sortation;

import io.wareedge.server.BackgroundThreads;
import io.wareedge.sparkplug.MessageCallback;
import io.micronaut.context.annotation.Context;
import io.wareedge.server.config.MqttSettings;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes sort plans to the edge: the full snapshot of a changed sorter, retained, QoS 1, on
 * {@code wareedge/<site>/sortplan/<sorter>}, so an agent that (re)connects gets the current plan at once.
 *
 * <p>Threading: changes only mark a sorter dirty (any thread); the {@value #THREAD} thread publishes dirty sorters
 * every {@code 200 ms}, so a burst of changes (an order import) becomes one snapshot per sorter. After every
 * (re)connection all plans are published again.
 */
@Context
@Singleton
public final class PlanPublisher implements AutoCloseable {
    static final String THREAD = "wareedge-sortplan-publisher";
    private static final Logger LOG = LoggerFactory.getLogger(PlanPublisher.class);
    private static final long DEBOUNCE_MILLIS = 200;

    private final SortPlans plans;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService worker;
    private final Set<SortPlans.SorterKey> dirty = ConcurrentHashMap.newKeySet();
    private volatile boolean republishAll;
    private volatile boolean closing;

    PlanPublisher(SortPlans plans, MqttSettings settings) throws MqttException {
        this.plans = plans;
        this.client = new MqttAsyncClient(settings.url(), settings.clientId() + "-sortplans", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, (int) Math.max(1, settings.maxReconnectDelay().toSeconds()));
        options.setConnectionTimeout(10);
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        client.setCallback(new Callback());
        this.worker = BackgroundThreads.single(THREAD);
        plans.onChange(dirty::add);
        worker.scheduleWithFixedDelay(this::publishDirty, DEBOUNCE_MILLIS, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
        worker.execute(() -> connect(options, 1_000));
    }

    public static String topic(String site, String sorter) {
        return "wareedge/" + site + "/sortplan/" + sorter;
    }

    private void connect(MqttConnectionOptions options, long delayMillis) {
        if (closing) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            LOG.warn("sort plan publisher cannot connect ({}); retrying in {} ms", e.getMessage(), delayMillis);
            worker.schedule(() -> connect(options, Math.min(delayMillis * 2, 30_000)), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void publishDirty() {
        if (!client.isConnected()) {
            return;
        }
        try {
            if (republishAll) {
                republishAll = false;
                dirty.addAll(plans.allSorters());
            }
            for (SortPlans.SorterKey key : Set.copyOf(dirty)) {
                dirty.remove(key);
                try {
                    SortPlan plan = plans.snapshot(key.site(), key.sorter());
                    MqttMessage m = new MqttMessage(SortJson.planSnapshot(plan));
                    m.setQos(1);
                    m.setRetained(true);
                    client.publish(topic(key.site(), key.sorter()), m);
                    LOG.info("sort plan of {}/{} version {} published ({} codes)", key.site(), key.sorter(),
                            plan.version(), plan.destinationByCode().size());
                } catch (SortPlans.UnknownSorterException e) {
                    LOG.debug("sorter {} gone: {}", key, e.getMessage());
                } catch (MqttException | java.sql.SQLException | RuntimeException e) {
                    dirty.add(key); // try again on the next round
                    LOG.warn("publishing the sort plan of {}/{} failed: {}", key.site(), key.sorter(), e.toString());
                }
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            republishAll = true;
            LOG.warn("listing sorters failed: {}", e.toString());
        }
    }

    @PreDestroy
    @Override
    public void close() {
        closing = true;
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing sort plan publisher: {}", e.toString());
        }
    }

    private final class Callback extends MessageCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            republishAll = true;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

    }
}
