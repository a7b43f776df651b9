package io.wareedge.profiles;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The values of one decoded record as a map, resource name to value in declaration order. The edge agent builds one
 * per reading, so it is two arrays (the names shared by all records of a stream) instead of a LinkedHashMap with a
 * table and an entry per value. Lookups scan the names, which for the handful of resources of a stream is as fast
 * as hashing; decoders of wide streams use a LinkedHashMap instead ({@link #MAX_NAMES}). Read-only in practice;
 * the decoder hands it out wrapped in Collections.unmodifiableMap, as it did the LinkedHashMap.
 */
final class FieldValues extends AbstractMap<String, Object> {
    /** Up to this many resources per stream, a linear lookup stays cheap. */
    static final int MAX_NAMES = 16;

    private final String[] names;
    /** By name index; null where the record has no value. */
    private final Object[] values;
    private final int size;

    /** {@code values} is taken over, not copied; it must not change afterwards. */
    FieldValues(String[] names, Object[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null && names[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                action.accept(names[i], values[i]);
            }
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < values.length && values[i] == null) {
                            i++;
                        }
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> entry = new SimpleImmutableEntry<>(names[next], values[next]);
                        next = advance(next + 1);
                        return entry;
                    }
                };
            }
        };
    }
}
