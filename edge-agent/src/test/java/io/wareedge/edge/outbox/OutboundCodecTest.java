package io.wareedge.edge.outbox;

import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.edge.normalize.Sample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundCodecTest {

    private static final Sample SAMPLE = new Sample("rfid-dock-1", 1_700_000_000_123L, List.of(
            new Reading("temp", 21.5, Quality.GOOD),
            new Reading("count", -7L, Quality.STALE),
            new Reading("running", true, Quality.GOOD),
            new Reading("epc", "E280 · ünïcode \0 𝄞", Quality.GOOD),
            new Reading("missing", null, Quality.BAD)));

    @Test
    void everyKindRoundTrips() {
        assertThat(roundTrip(new OutboundMessage.SampleMessage(SAMPLE))).isEqualTo(new OutboundMessage.SampleMessage(SAMPLE));
        assertThat(roundTrip(new OutboundMessage.DeviceState("dock-é", true, 5, "data received")))
                .isEqualTo(new OutboundMessage.DeviceState("dock-é", true, 5, "data received"));
        OutboundMessage.DeadLetter dl = (OutboundMessage.DeadLetter) roundTrip(
                new OutboundMessage.DeadLetter("d", "t/1", "NOT_JSON", "detail", 9, new byte[]{0, -1, 2}));
        assertThat(dl.payload()).containsExactly(0, -1, 2);
        assertThat(dl.kind()).isEqualTo("NOT_JSON");
        OutboundMessage.Event ev = (OutboundMessage.Event) roundTrip(new OutboundMessage.Event("sort", "{\"a\":1}".getBytes()));
        assertThat(new String(ev.json())).isEqualTo("{\"a\":1}");
    }

    /** Outboxes written by earlier versions (DataOutputStream) must still read after an upgrade, and vice versa. */
    @Test
    void keepsTheLayoutEarlierVersionsWrote() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(SAMPLE.device());
            out.writeLong(SAMPLE.timestampMillis());
            out.writeShort(SAMPLE.readings().size());
            for (Reading r : SAMPLE.readings()) {
                out.writeUTF(r.metric());
                out.writeByte(r.quality().ordinal());
                Object v = r.value();
                if (v == null) {
                    out.writeByte(0);
                } else if (v instanceof Boolean b) {
                    out.writeByte(1);
                    out.writeBoolean(b);
                } else if (v instanceof Long l) {
                    out.writeByte(2);
                    out.writeLong(l);
                } else if (v instanceof Double d) {
                    out.writeByte(3);
                    out.writeDouble(d);
                } else {
                    out.writeByte(4);
                    out.writeUTF((String) v);
                }
            }
        }
        byte[] legacy = bytes.toByteArray();
        assertThat(OutboundCodec.encode(new OutboundMessage.SampleMessage(SAMPLE))).isEqualTo(legacy);
        assertThat(OutboundCodec.decode(legacy)).isEqualTo(new OutboundMessage.SampleMessage(SAMPLE));
    }

    @Test
    void aCutRecordIsReportedAsCorrupt() {
        byte[] whole = OutboundCodec.encode(new OutboundMessage.SampleMessage(SAMPLE));
        for (int cut : new int[]{1, 5, whole.length / 2, whole.length - 1}) {
            assertThatThrownBy(() -> OutboundCodec.decode(Arrays.copyOf(whole, cut)))
                    .as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("corrupt outbox record");
        }
        assertThatThrownBy(() -> OutboundCodec.decode(new byte[]{9}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown outbox record kind 9");
    }

    /** Names are kept by their bytes for reuse; more names than the table has slots must still decode each as itself. */
    @Test
    void everyNameDecodesAsItselfWhenManyShareTheTableOfKnownNames() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 5_000; i++) {
                Sample s = new Sample(i % 7 == 0 ? "dock-é-" + i : "dock-" + i, i, List.of(
                        new Reading("m" + i, (double) i, Quality.GOOD), new Reading("n" + i, (long) i, Quality.GOOD)));
                assertThat(roundTrip(new OutboundMessage.SampleMessage(s))).isEqualTo(new OutboundMessage.SampleMessage(s));
            }
        }
        Sample s = new Sample("conveyor-7", 1, List.of(new Reading("speed", 1.0, Quality.GOOD)));
        Sample first = ((OutboundMessage.SampleMessage) roundTrip(new OutboundMessage.SampleMessage(s))).sample();
        Sample again = ((OutboundMessage.SampleMessage) roundTrip(new OutboundMessage.SampleMessage(s))).sample();
        assertThat(again.device()).isSameAs(first.device());
        assertThat(again.readings().get(0).metric()).isSameAs(first.readings().get(0).metric());
    }

    private static OutboundMessage roundTrip(OutboundMessage m) {
        return OutboundCodec.decode(OutboundCodec.encode(m));
    }
}
