package io.wareedge.server.picking;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTest {

    @Test
    void headerNamesFieldsAndRowsAreNumberedAsASpreadsheetShowsThem() {
        List<Csv.Row> rows = Csv.parse("SKU,Description\nA-1,Plain\n\nA-2,Second\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).number()).isEqualTo(2);
        assertThat(rows.get(0).get("sku")).isEqualTo("A-1");
        assertThat(rows.get(1).number()).isEqualTo(4);
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        List<Csv.Row> rows = Csv.parse("sku,description\r\nA-1,\"Box, large \"\"XL\"\"\nsecond line\"\r\n");
        assertThat(rows.get(0).get("description")).isEqualTo("Box, large \"XL\"\nsecond line");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstHeader() {
        assertThat(Csv.parse("\uFEFFsku\nA-1").get(0).get("sku")).isEqualTo("A-1");
    }

    @Test
    void blankFieldsReadAsMissingAndExtraFieldsAreKeptForTheReport() {
        Csv.Row row = Csv.parse("a,b\n  ,x,y\n").get(0);
        assertThat(row.get("a")).isNull();
        assertThat(row.fields()).containsEntry("#extra", "y");
    }

    @Test
    void anUnterminatedQuoteOrAnEmptyFileIsRefused() {
        assertThatThrownBy(() -> Csv.parse("a\n\"open")).isInstanceOf(Csv.CsvException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Csv.parse("")).isInstanceOf(Csv.CsvException.class).hasMessageContaining("header");
    }
}
