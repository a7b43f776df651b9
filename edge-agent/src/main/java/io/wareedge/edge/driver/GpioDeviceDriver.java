package io.wareedge.edge.driver;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.profiles.Command;
import io.wareedge.profiles.Direction;
import io.wareedge.profiles.GpioAddress;
import io.wareedge.profiles.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's own GPIO pins through Pi4J: inputs (an e-stop chain's auxiliary contact, a photo-eye) become
 * readings on every debounced edge; outputs (stack-light lamps, a buzzer) are set by commands and reported as
 * readings. Pi4J picks the provider itself: libgpiod on a Raspberry Pi, its mock platform in tests.
 *
 * <p>Threading: Pi4J's listener threads call {@link DeviceIngest} (synchronized); commands may come from any
 * thread. This object's lock guards the pins only and is never held while taking another lock (the stack light
 * sets lamps from threads that hold ingest's lock).
 */
public final class GpioDeviceDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GpioDeviceDriver.class);

    private final List<BoundDevice> devices;
    private final DeviceIngest ingest;
    private final Context pi4j;
    private final Map<String, DigitalInput> inputs = new HashMap<>();
    private final Map<String, DigitalOutput> outputs = new HashMap<>();

    public GpioDeviceDriver(List<BoundDevice> devices, DeviceIngest ingest) {
        this(devices, ingest, Pi4J.newAutoContext());
    }

    GpioDeviceDriver(List<BoundDevice> devices, DeviceIngest ingest, Context pi4j) {
        this.devices = List.copyOf(devices);
        this.ingest = ingest;
        this.pi4j = pi4j;
    }

    private static String key(BoundDevice d, Resource r) {
        return d.name() + "." + r.name();
    }

    /**
     * Claims the pins and reports every input's and output's state once. Pins are claimed under this object's
     * lock; readings and problems are reported after it is released (this lock is never held while taking
     * another: ingest's lock may be held by a thread that is about to set a lamp).
     */
    public void start() {
        for (BoundDevice d : devices) {
            List<Reading> initial = new ArrayList<>();
            List<String[]> unavailable = new ArrayList<>();
            synchronized (this) {
                for (Resource r : d.profile().resources()) {
                    if (r.gpio().isEmpty()) {
                        continue;
                    }
                    GpioAddress a = r.gpio().get();
                    try {
                        initial.add(claim(d, r, a));
                    } catch (RuntimeException e) {
                        // a pin already in use (by another device or process), a provider refusing it: this
                        // resource is reported and left out; every other pin still runs
                        unavailable.add(new String[]{r.name(), Integer.toString(a.pin()), e.toString()});
                    }
                }
            }
            for (String[] u : unavailable) {
                LOG.warn("GPIO: device {} resource {} (pin {}) not available: {}", d.name(), u[0], u[1], u[2]);
                ingest.rejected(d, "gpio:" + u[1], new byte[0], "GPIO_PIN_UNAVAILABLE",
                        "device " + d.name() + " resource " + u[0] + ": pin " + u[1] + " " + u[2]);
            }
            ingest.acceptReadings(d, System.currentTimeMillis(), initial);
        }
        LOG.info("GPIO: {} inputs and {} outputs claimed for {} devices", inputs.size(), outputs.size(), devices.size());
    }

    private Reading claim(BoundDevice d, Resource r, GpioAddress a) {
        String id = "wareedge-" + d.name() + "-" + r.name();
        if (a.direction() == Direction.INPUT) {
            DigitalInput in = pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                    .id(id).name(d.name() + " " + r.name()).address(a.pin())
                    .pull(switch (a.pull()) {
                        case UP -> PullResistance.PULL_UP;
                        case DOWN -> PullResistance.PULL_DOWN;
                        case OFF -> PullResistance.OFF;
                    })
                    .debounce(a.debounce().toNanos() / 1000, TimeUnit.MICROSECONDS)
                    .build());
            in.addListener(e -> ingest.acceptReadings(d, System.currentTimeMillis(),
                    List.of(new Reading(r.name(), logical(e.state(), a), Quality.GOOD))));
            inputs.put(key(d, r), in);
            return new Reading(r.name(), logical(in.state(), a), Quality.GOOD);
        }
        DigitalOutput out = pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                .id(id).name(d.name() + " " + r.name()).address(a.pin())
                .initial(a.activeLow() ? DigitalState.HIGH : DigitalState.LOW)
                .shutdown(a.activeLow() ? DigitalState.HIGH : DigitalState.LOW)
                .build());
        outputs.put(key(d, r), out);
        return new Reading(r.name(), logical(out.state(), a), Quality.GOOD);
    }

    private static boolean logical(DigitalState level, GpioAddress a) {
        boolean high = level == DigitalState.HIGH;
        return a.activeLow() != high;
    }

    public boolean serves(String device) {
        return devices.stream().anyMatch(d -> d.name().equals(device));
    }

    /** Sets an output through a command of the device's profile; completes with "Good" or fails. */
    public CompletableFuture<String> command(String device, String commandName, Map<String, Object> parameters) {
        BoundDevice d = devices.stream().filter(x -> x.name().equals(device)).findFirst().orElse(null);
        if (d == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no GPIO device " + device));
        }
        Command command = d.profile().command(commandName).orElse(null);
        if (command == null || command.gpio().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("profile " + d.profile().id()
                    + " has no GPIO command " + commandName));
        }
        String resource = command.gpio().get().resource();
        Object value = parameters.get(command.gpio().get().parameter());
        if (!(value instanceof Boolean on)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("command " + commandName
                    + " needs a true/false parameter " + command.gpio().get().parameter()));
        }
        return CompletableFuture.completedFuture(set(d, resource, on));
    }

    /**
     * Sets an output to a logical state and reports it; answers "Good". The pin is set under this object's lock;
     * the reading is reported after it is released (this lock is never held while taking another).
     */
    public String set(BoundDevice d, String resource, boolean on) {
        boolean changed;
        synchronized (this) {
            DigitalOutput out = outputs.get(d.name() + "." + resource);
            if (out == null) {
                return "Bad: pin of " + d.name() + "." + resource + " not available";
            }
            Resource r = d.profile().resources().stream().filter(x -> x.name().equals(resource)).findFirst().orElseThrow();
            DigitalState level = r.gpio().orElseThrow().activeLow() != on ? DigitalState.HIGH : DigitalState.LOW;
            changed = out.state() != level;
            if (changed) {
                out.state(level);
            }
        }
        if (changed) {
            ingest.acceptReadings(d, System.currentTimeMillis(), List.of(new Reading(resource, on, Quality.GOOD)));
        }
        return "Good";
    }

    /** The logical state of an output or input (for the stack light and tests). */
    public synchronized boolean state(String device, String resource) {
        BoundDevice d = devices.stream().filter(x -> x.name().equals(device)).findFirst().orElseThrow();
        GpioAddress a = d.profile().resources().stream().filter(x -> x.name().equals(resource)).findFirst()
                .orElseThrow().gpio().orElseThrow();
        DigitalOutput out = outputs.get(device + "." + resource);
        return logical(out != null ? out.state() : inputs.get(device + "." + resource).state(), a);
    }

    /** The Pi4J input of a device's resource (tests drive the mock provider through it). */
    public DigitalInput input(String device, String resource) {
        return inputs.get(device + "." + resource);
    }

    @Override
    public void close() {
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("Pi4J shutdown: {}", e.toString());
        }
    }
}
