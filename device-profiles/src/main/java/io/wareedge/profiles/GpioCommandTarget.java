package io.wareedge.profiles;

/** A command that drives a GPIO output resource with a boolean parameter. */
public record GpioCommandTarget(String resource, String parameter) {
    public GpioCommandTarget {
        Checks.name("resource", resource);
        Checks.name("parameter", parameter);
    }
}
