package io.wareedge.profiles;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OPC UA node id templates in string form, e.g. {@code ns=2;s=Line{line}.Seg{segment}.Speed}. */
final class NodeIds {
    private static final String VAR = "\\{[A-Za-z][A-Za-z0-9_]*}";
    private static final Pattern FORM = Pattern.compile(
            "ns=(\\d+|" + VAR + ");(s=.+|i=(\\d+|" + VAR + ")|g=[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
                    + "[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/=]+)");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private NodeIds() {
    }

    static String requireTemplate(String template) {
        if (template == null || !FORM.matcher(template).matches()) {
            throw new IllegalArgumentException("node id '" + template
                    + "' is not an OPC UA node id; expected ns=<n>;s=<text>, ns=<n>;i=<number>, ns=<n>;g=<guid> or"
                    + " ns=<n>;b=<base64>, e.g. ns=2;s=Line1.Seg{segment}.Speed");
        }
        if (template.indexOf('{') >= 0 && VARIABLE.matcher(template).replaceAll("").matches(".*[{}].*")) {
            throw new IllegalArgumentException("node id '" + template + "' has an unbalanced { or }");
        }
        return template;
    }

    static Set<String> variables(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String expand(String template, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("node id '" + template + "' needs variable '" + m.group(1)
                        + "' but got only " + vars.keySet());
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
