package io.wareedge.sortation;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionMemoryTest {
    private static Decision decision(long seq, int pass, int chute) {
        return new Decision(seq, pass, chute, Reason.values()[chute % Reason.values().length], "code" + seq,
                "D" + chute, chute * 7L);
    }

    /** Random adds and lookups against a map and a queue: what the memory holds must be exactly the last N. */
    @Test
    void holdsExactlyTheLastDecisionsLikeAReferenceModel() {
        for (int capacity : new int[]{1, 2, 3, 7, 64, 1000}) {
            DecisionMemory memory = new DecisionMemory(capacity);
            Map<Long, Decision> model = new HashMap<>();
            ArrayDeque<Long> order = new ArrayDeque<>();
            Random random = new Random(capacity);
            for (int step = 0; step < 20_000; step++) {
                // Keys shaped like the real ones (seq << 8 | pass), some far apart, some dense, some repeated.
                long seq = random.nextInt(4) == 0 ? random.nextInt(1 << 20) : step / 2;
                long key = Decisions.key(seq, random.nextInt(3));
                if (model.containsKey(key)) {
                    assertThat(memory.find(key)).as("capacity %d step %d", capacity, step).isGreaterThanOrEqualTo(0);
                    continue;
                }
                assertThat(memory.find(key)).as("capacity %d step %d", capacity, step).isEqualTo(-1);
                Decision d = decision(seq, (int) (key & 0xff), random.nextInt(50));
                memory.add(key, d);
                model.put(key, d);
                order.add(key);
                if (order.size() > capacity) {
                    model.remove(order.poll());
                }
                if (step % 97 == 0) {
                    for (Map.Entry<Long, Decision> e : model.entrySet()) {
                        int position = memory.find(e.getKey());
                        assertThat(position).isGreaterThanOrEqualTo(0);
                        Decision expected = e.getValue();
                        assertThat(memory.decision(position, expected.seq(), expected.pass())).isEqualTo(
                                new Decision(expected.seq(), expected.pass(), expected.chute(), expected.reason(), null,
                                        expected.destination(), expected.planVersion()));
                    }
                    assertThat(memory.size()).isEqualTo(model.size());
                }
            }
        }
    }

    @Test
    void aResultIsSeenOncePerDecisionAndAReusedPositionStartsUnseen() {
        DecisionMemory memory = new DecisionMemory(1);
        memory.add(Decisions.key(1, 0), decision(1, 0, 3));
        int first = memory.find(Decisions.key(1, 0));
        assertThat(memory.markResultSeen(first)).isTrue();
        assertThat(memory.markResultSeen(first)).isFalse();
        memory.add(Decisions.key(2, 0), decision(2, 0, 4));
        assertThat(memory.find(Decisions.key(1, 0))).isEqualTo(-1);
        assertThat(memory.markResultSeen(memory.find(Decisions.key(2, 0)))).isTrue();
    }

    @Test
    void capacityIsValidated() {
        assertThatThrownBy(() -> new DecisionMemory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
