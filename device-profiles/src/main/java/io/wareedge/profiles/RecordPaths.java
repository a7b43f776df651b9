package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.profiles.PayloadScanner.NotPlain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON pointers a decoder reads in every record (where filter, timestamp, resources) merged into one tree of
 * property names, so that the {@link PayloadScanner} picks the values out of a record in one pass instead of
 * building the record's JsonNode tree and walking it once per pointer.
 *
 * <p>Each pointer has a slot; {@link #read} fills a slot with the node {@code record.at(pointer)} would return, or
 * leaves it null where that would be the MissingNode. Values are built exactly as Jackson's tree reader builds
 * them (same node classes), so everything downstream behaves the same for both ways of reading.
 */
final class RecordPaths {
    /** Duplicate keys are tracked in a long bit set per object. */
    private static final int MAX_CHILDREN = 64;

    private final Node root = new Node(0, new byte[0]);

    private RecordPaths() {
    }

    /** The paths of these pointers (slot i = pointers[i]), or null when they are too wide to scan (never so far). */
    static RecordPaths compile(JsonPointer[] pointers) {
        RecordPaths paths = new RecordPaths();
        for (int slot = 0; slot < pointers.length; slot++) {
            Node node = paths.root;
            JsonPointer rest = pointers[slot];
            node.below.add(new SlotPointer(slot, rest));
            while (!rest.matches()) {
                String property = rest.getMatchingProperty();
                if (rest.getMatchingIndex() >= 0) {
                    node.indexChild = true;
                }
                node = node.child(property);
                if (node.ordinal >= MAX_CHILDREN) {
                    return null;
                }
                rest = rest.tail();
                node.below.add(new SlotPointer(slot, rest));
            }
            node.ownSlots = true;
        }
        paths.root.findLeaves();
        return paths;
    }

    /**
     * Reads the record value at the scanner's position (consuming it) into {@code slots}.
     *
     * @throws NotPlain also when a key on a path occurs twice in one object: the tree reader keeps the last value,
     *                  which a single pass cannot know in advance
     */
    void read(PayloadScanner in, JsonNode[] slots) throws NotPlain {
        read(in, root, slots);
    }

    private static void read(PayloadScanner in, Node node, JsonNode[] slots) throws NotPlain {
        if (node.leafSlot >= 0) {
            slots[node.leafSlot] = in.readValue(); // the usual case: one pointer ends here, none goes deeper
            return;
        }
        int c = in.peek();
        if (node.ownSlots || (c == '[' && node.indexChild)) {
            // The value itself is wanted, or elements of this array are addressed by index (neither happens in the
            // shipped profiles' hot paths): take the whole value as a node and resolve the pointers below it.
            JsonNode value = in.readValue();
            for (SlotPointer sp : node.below) {
                JsonNode found = value.at(sp.pointer);
                slots[sp.slot] = found.isMissingNode() ? null : found;
            }
            return;
        }
        if (c != '{') {
            // A scalar, or an array whose elements no pointer addresses: nothing below it is wanted.
            in.skipValue();
            return;
        }
        if (!in.enterObject()) {
            return;
        }
        long seen = 0;
        do {
            in.name();
            Node child = node.find(in);
            if (child == null) {
                in.skipValue();
                continue;
            }
            long bit = 1L << child.ordinal;
            if ((seen & bit) != 0) {
                throw NotPlain.INSTANCE;
            }
            seen |= bit;
            read(in, child, slots);
        } while (in.moreMembers());
    }

    private static final class Node {
        private static final Node[] NONE = {};

        /** Position among the parent's children: the bit of the duplicate-key check. */
        final int ordinal;
        final byte[] name;
        /** Few per node (a record's fields), so a linear search over the bytes beats hashing a String. */
        Node[] children = NONE;
        /** Whether some pointer ends here. */
        boolean ownSlots;
        /** The slot when exactly one pointer ends here and none goes deeper, else -1. */
        int leafSlot = -1;
        /** Whether some child's name is also an array index ("0"), which selects an element of an array. */
        boolean indexChild;
        /** Every slot at or below this node, with its pointer relative to this node. */
        final List<SlotPointer> below = new ArrayList<>(2);

        Node(int ordinal, byte[] name) {
            this.ordinal = ordinal;
            this.name = name;
        }

        void findLeaves() {
            leafSlot = ownSlots && below.size() == 1 ? below.get(0).slot : -1;
            for (Node child : children) {
                child.findLeaves();
            }
        }

        /** The child of that name, created if new. */
        Node child(String property) {
            byte[] bytes = property.getBytes(StandardCharsets.UTF_8);
            for (Node child : children) {
                if (Arrays.equals(child.name, bytes)) {
                    return child;
                }
            }
            Node child = new Node(children.length, bytes);
            children = Arrays.copyOf(children, children.length + 1);
            children[child.ordinal] = child;
            return child;
        }

        /** The child named as the member name the scanner just read, or null. */
        Node find(PayloadScanner in) {
            for (Node child : children) {
                if (in.nameIs(child.name)) {
                    return child;
                }
            }
            return null;
        }
    }

    private record SlotPointer(int slot, JsonPointer pointer) {
    }
}
