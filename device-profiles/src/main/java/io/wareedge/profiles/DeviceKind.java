package io.wareedge.profiles;

/** What a device model is; YAML spelling is lower-case with dashes, e.g. {@code rfid-reader}. */
public enum DeviceKind {
    RFID_READER, SORTER, CONVEYOR_PLC, ENVIRONMENT_SENSOR, STACK_LIGHT, GPIO_IO, OTHER;

    /** The YAML spelling, e.g. {@code conveyor-plc}. */
    public String yamlName() {
        return YamlText.of(this);
    }

    /** Parses the YAML spelling; throws IllegalArgumentException listing the accepted ones. */
    public static DeviceKind parse(String text) {
        return YamlText.parse(DeviceKind.class, text);
    }
}
