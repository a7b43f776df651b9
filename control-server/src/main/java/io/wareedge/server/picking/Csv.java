package io.wareedge.server.picking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row: quoted fields may hold commas, quotes ("") and line breaks. Rows are numbered
 * as a spreadsheet shows them (the header is row 1), so a problem report points at the row the user sees.
 */
public final class Csv {
    private Csv() {
    }

    /** One data row: its number as a spreadsheet shows it and its fields by header name (lower case). */
    public record Row(int number, Map<String, String> fields) {
        public String get(String name) {
            String v = fields.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        }
    }

    public static final class CsvException extends IllegalArgumentException {
        CsvException(String message) {
            super(message);
        }
    }

    public static List<Row> parse(String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty()) {
            throw new CsvException("empty file: a header row is needed");
        }
        List<String> header = records.get(0).stream().map(h -> h.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() == 1 && r.get(0).isBlank()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int f = 0; f < header.size(); f++) {
                fields.put(header.get(f), f < r.size() ? r.get(f) : null);
            }
            if (r.size() > header.size()) {
                fields.put("#extra", String.join(",", r.subList(header.size(), r.size())));
            }
            rows.add(new Row(i + 1, fields));
        }
        return rows;
    }

    private static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                out.add(record);
                record = new ArrayList<>();
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new CsvException("unterminated quoted field at the end of the file");
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            out.add(record);
        }
        return out;
    }
}
