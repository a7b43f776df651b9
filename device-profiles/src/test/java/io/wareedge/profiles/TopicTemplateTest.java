package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicTemplateTest {
    private final TopicTemplate chutes = TopicTemplate.parse("sorters/{device}/chutes/{chute}");

    @Test
    void variablesInOrder() {
        assertThat(chutes.variables()).containsExactly("device", "chute");
        assertThat(chutes.toString()).isEqualTo("sorters/{device}/chutes/{chute}");
    }

    @Test
    void expand() {
        assertThat(chutes.expand(Map.of("device", "s1", "chute", "12"))).isEqualTo("sorters/s1/chutes/12");
        assertThatThrownBy(() -> chutes.expand(Map.of("device", "s1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'chute'");
        assertThatThrownBy(() -> chutes.expand(Map.of("device", "a/b", "chute", "1")))
                .hasMessageContaining("a/b");
    }

    @Test
    void subscriptionFilter() {
        assertThat(chutes.subscriptionFilter(Map.of())).isEqualTo("sorters/+/chutes/+");
        assertThat(chutes.subscriptionFilter(Map.of("device", "s1"))).isEqualTo("sorters/s1/chutes/+");
    }

    @Test
    void match() {
        assertThat(chutes.match("sorters/s1/chutes/12")).contains(Map.of("device", "s1", "chute", "12"));
        assertThat(chutes.match("sorters/s1/chutes")).isEmpty();
        assertThat(chutes.match("sorters/s1/chutes/12/x")).isEmpty();
        assertThat(chutes.match("sorter/s1/chutes/12")).isEmpty();
        assertThat(chutes.match("sorters//chutes/12")).isEmpty();
        assertThat(TopicTemplate.parse("zigbee2mqtt/{device}").match("zigbee2mqtt/bridge/state")).isEmpty();
    }

    @Test
    void rejectsWildcardsAndPartialLevelVariables() {
        assertThatThrownBy(() -> TopicTemplate.parse("a/+/b")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> TopicTemplate.parse("a/#")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> TopicTemplate.parse("a/dev{id}")).hasMessageContaining("exactly one {variable}");
        assertThatThrownBy(() -> TopicTemplate.parse("a/{id}/{id}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> TopicTemplate.parse("")).hasMessageContaining("empty");
    }
}
