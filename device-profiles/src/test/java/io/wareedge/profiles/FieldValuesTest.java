package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldValuesTest {
    private static final String[] NAMES = {"epc", "antenna", "rssi", "reads"};

    @Test
    void behavesLikeTheLinkedHashMapOfThePresentValues() {
        Map<String, Object> values = new FieldValues(NAMES, new Object[] {"E2", null, -52.0, 1L}, 3);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("epc", "E2");
        expected.put("rssi", -52.0);
        expected.put("reads", 1L);

        assertThat(values).isEqualTo(expected).hasSameHashCodeAs(expected).hasToString(expected.toString());
        assertThat(expected).isEqualTo(values);
        assertThat(values).containsExactly(Map.entry("epc", "E2"), Map.entry("rssi", -52.0), Map.entry("reads", 1L));
        assertThat(values.size()).isEqualTo(3);
        assertThat(values.get("rssi")).isEqualTo(-52.0);
        assertThat(values.get("antenna")).isNull();
        assertThat(values.containsKey("antenna")).isFalse();
        assertThat(values.containsKey("reads")).isTrue();
        assertThat(values.get("other")).isNull();
        assertThat(List.copyOf(values.keySet())).containsExactly("epc", "rssi", "reads");
        List<String> visited = new ArrayList<>();
        values.forEach((name, value) -> visited.add(name + "=" + value));
        assertThat(visited).containsExactly("epc=E2", "rssi=-52.0", "reads=1");
    }

    @Test
    void emptyAndReadOnlyAsHandedOut() {
        Map<String, Object> none = Collections.unmodifiableMap(new FieldValues(NAMES, new Object[4], 0));
        assertThat(none).isEqualTo(Map.of());
        assertThat(none.isEmpty()).isTrue();
        Map<String, Object> some = Collections.unmodifiableMap(new FieldValues(NAMES, new Object[] {"E2", 1L, null,
            null}, 2));
        assertThatThrownBy(() -> some.put("rssi", 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> some.remove("nothing")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> some.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void decodedRecordsCarryIt() {
        DecodeResult r = TestSupport.decode("zebra-fx9600", "tagData", "zebra-fx9600-tag.json");
        assertThat(r.records().get(0).values().getClass()).isEqualTo(Collections.unmodifiableMap(Map.of()).getClass());
    }
}
