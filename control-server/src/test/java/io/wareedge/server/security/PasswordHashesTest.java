package io.wareedge.server.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashesTest {
    @Test
    void hashMatchesOnlyItsPassword() {
        String hash = PasswordHashes.hash("s3cret");
        assertThat(hash).startsWith("pbkdf2-sha256:");
        assertThat(PasswordHashes.matches("s3cret", hash)).isTrue();
        assertThat(PasswordHashes.matches("S3cret", hash)).isFalse();
        assertThat(PasswordHashes.matches("s3cret", "plain")).isFalse();
        assertThat(PasswordHashes.hash("s3cret")).isNotEqualTo(hash);
    }
}
