package io.wareedge.server.alerts;

/**
 * A KPI rule's value on one source (a sorter) at one moment.
 *
 * @param source {@code sorter:site/sorter}
 * @param at     epoch milliseconds
 */
record KpiReading(AlertSettings.KpiRule rule, String source, String area, double value, long at) {
}
