package io.wareedge.profiles;

/**
 * How a resource reads a JSON array (e.g. the scanned codes of a sorter induction): it has no array value type, so
 * the array is reduced to one value. YAML {@code reduce: join|count}.
 */
public enum ArrayReduce {
    /** The field must be a scalar. */
    NONE,
    /** The elements' text joined with ',' (STRING resources); an empty array gives "". */
    JOIN,
    /** The number of elements (integer resources). */
    COUNT;

    public static ArrayReduce parse(String text) {
        return YamlText.parse(ArrayReduce.class, text);
    }
}
