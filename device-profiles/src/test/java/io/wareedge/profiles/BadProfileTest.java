package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of bad profile: each names the source, the line and the reason. */
class BadProfileTest {
    private static final String SOURCE = "test-sensor.yaml";
    private static final String VALID = """
            schemaVersion: 1
            id: test-sensor
            manufacturer: Acme
            model: T1
            kind: environment-sensor
            mqttStreams:
              - name: state
                topic: "acme/{device}"
            resources:
              - name: temperature
                type: float
                unit: degC
                mqtt: { stream: state, pointer: /temperature }
              - name: status
                type: string
                mqtt: { stream: state, pointer: /status }
            alarms:
              - name: hot
                resource: temperature
                above: 30
                severity: red
            """;

    private static ProfileException bad(String yaml) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileLoader.parse(SOURCE, yaml));
        assertThat(e).as("expected a ProfileException").isNotNull();
        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.getMessage()).isEqualTo(SOURCE + ":" + e.line() + ": " + e.reason());
        return e;
    }

    private static String change(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    @Test
    void validBaseLoads() {
        DeviceProfile p = ProfileLoader.parse(SOURCE, VALID);
        assertThat(p.id()).isEqualTo("test-sensor");
        assertThat(p.staleAfter()).isEqualTo(DeviceProfile.DEFAULT_STALE_AFTER);
        assertThat(p.resource("temperature").orElseThrow().mqtt().orElseThrow().sourceUnit()).isEqualTo(Unit.DEG_C);
    }

    @Test
    void badYamlSyntax() {
        ProfileException e = bad(change("    type: float\n", "    type: float: x\n"));
        assertThat(e.line()).isEqualTo(11);
        assertThat(e.reason()).startsWith("YAML syntax error").contains("mapping values are not allowed");
    }

    @Test
    void unknownKeyWithSuggestion() {
        ProfileException e = bad(change("    unit: degC", "    unti: degC"));
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.reason()).contains("unknown key 'unti'").contains("did you mean 'unit'?");
    }

    @Test
    void duplicateKey() {
        ProfileException e = bad(change("    unit: degC\n", "    unit: degC\n    unit: degF\n"));
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.reason()).contains("duplicate key 'unit'");
    }

    @Test
    void missingRequiredKey() {
        ProfileException e = bad(change("    type: string\n", ""));
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.reason()).contains("resource 'status'").contains("missing required key 'type'");

        ProfileException top = bad(change("model: T1\n", ""));
        assertThat(top.line()).isEqualTo(1);
        assertThat(top.reason()).contains("missing required key 'model'");
    }

    @Test
    void unknownUnit() {
        ProfileException e = bad(change("unit: degC", "unit: degc"));
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.reason()).contains("unknown unit 'degc'").contains("accepted:").contains("degC");
    }

    @Test
    void durationWithoutUnit() {
        ProfileException e = bad(change("kind: environment-sensor\n", "kind: environment-sensor\nstaleAfter: 30\n"));
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.reason()).contains("staleAfter").contains("'30' has no unit").contains("30s");
    }

    @Test
    void numericAlarmOnStringResource() {
        ProfileException e = bad(change("    resource: temperature", "    resource: status"));
        assertThat(e.line()).isEqualTo(18);
        assertThat(e.reason()).contains("alarm 'hot'").contains("numeric condition needs a numeric resource");
    }

    @Test
    void enumOnNonStringResource() {
        ProfileException e = bad(change("    unit: degC\n", "    unit: degC\n    enum: { \"0\": ok }\n"));
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.reason()).contains("resource 'temperature'").contains("enum needs type string");
    }

    @Test
    void greenSeverity() {
        ProfileException e = bad(change("severity: red", "severity: green"));
        assertThat(e.line()).isEqualTo(21);
        assertThat(e.reason()).contains("green").contains("normal state");
    }

    @Test
    void unknownStreamReferencedByResource() {
        ProfileException e = bad(change("{ stream: state, pointer: /status }", "{ stream: stat, pointer: /status }"));
        assertThat(e.line()).isEqualTo(16);
        assertThat(e.reason()).contains("unknown stream 'stat'").contains("[state]");
    }

    @Test
    void badOpcUaNodeId() {
        ProfileException e = bad(change("    mqtt: { stream: state, pointer: /status }",
                "    opcua: { nodeId: \"Line1.Status\" }"));
        assertThat(e.line()).isEqualTo(16);
        assertThat(e.reason()).contains("'Line1.Status' is not an OPC UA node id").contains("ns=<n>;s=");
    }

    @Test
    void duplicateResourceName() {
        ProfileException e = bad(change("  - name: status", "  - name: temperature"));
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.reason()).contains("duplicate resource name 'temperature'");
    }

    @Test
    void minGreaterThanMax() {
        ProfileException e = bad(change("    unit: degC\n", "    unit: degC\n    min: 50\n    max: 10\n"));
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.reason()).contains("min 50.0 is greater than max 10.0");
    }

    @Test
    void unsupportedSchemaVersion() {
        ProfileException e = bad(change("schemaVersion: 1", "schemaVersion: 2"));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.reason()).contains("unsupported schemaVersion 2");
    }

    @Test
    void alarmNeedsExactlyOneCondition() {
        ProfileException e = bad(change("    above: 30\n", "    above: 30\n    below: 5\n"));
        assertThat(e.line()).isEqualTo(18);
        assertThat(e.reason()).contains("exactly one condition").contains("[above, below]");
    }

    @Test
    void negativeDeadband() {
        ProfileException e = bad(change("    above: 30\n", "    above: 30\n    deadband: -1\n"));
        assertThat(e.line()).isEqualTo(21);
        assertThat(e.reason()).contains("deadband must be >= 0");
    }

    @Test
    void wildcardInTopic() {
        ProfileException e = bad(change("topic: \"acme/{device}\"", "topic: \"acme/+\""));
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.reason()).contains("wildcard");
    }

    @Test
    void fileIdMustMatchFileName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other-name.yaml");
        Files.writeString(file, VALID);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileLoader.load(file));
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).contains("must equal the file name 'other-name'");
    }

    @Test
    void directoryLoadCollectsEveryError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("test-sensor.yaml"), VALID);
        Files.writeString(dir.resolve("a-bad.yaml"), VALID.replace("id: test-sensor", "id: a-bad")
                .replace("unit: degC", "unit: kelvin"));
        Files.writeString(dir.resolve("b-bad.yml"), VALID.replace("id: test-sensor", "id: b-bad")
                .replace("severity: red", "severity: green"));
        Files.writeString(dir.resolve("notes.txt"), "not a profile");
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileLoader.loadDirectory(dir));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).source()).endsWith("a-bad.yaml");
        assertThat(e.problems().get(0).line()).isEqualTo(12);
        assertThat(e.problems().get(1).source()).endsWith("b-bad.yml");
        assertThat(e.problems().get(1).line()).isEqualTo(21);
        assertThat(e.getMessage()).contains("a-bad.yaml:12:").contains("b-bad.yml:21:");
    }
}
