package io.wareedge.profiles;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A set of loaded profiles, by id. */
public final class ProfileCatalog {
    private final Map<String, DeviceProfile> byId;

    public ProfileCatalog(Collection<DeviceProfile> profiles) {
        Map<String, DeviceProfile> map = new TreeMap<>();
        for (DeviceProfile p : profiles) {
            if (map.put(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate profile id '" + p.id() + "'");
            }
        }
        this.byId = Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    public Optional<DeviceProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The profile with this id; IllegalArgumentException naming the known ids otherwise. */
    public DeviceProfile require(String id) {
        DeviceProfile p = byId.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown device profile '" + id + "'; known: " + byId.keySet());
        }
        return p;
    }

    /** All profiles, sorted by id. */
    public Collection<DeviceProfile> all() {
        return byId.values();
    }

    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    @Override
    public String toString() {
        return "ProfileCatalog" + byId.keySet();
    }
}
