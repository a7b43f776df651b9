package io.wareedge.server.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * PBKDF2-HMAC-SHA256 password hashes from the JDK, written as
 * {@code pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>}.
 *
 * <p>To make a hash for {@code wareedge.users}:
 * {@code java -cp control-server.jar io.wareedge.server.security.PasswordHashes 'the password'}
 */
public final class PasswordHashes {
    public static final String PREFIX = "pbkdf2-sha256";
    private static final int ITERATIONS = 120_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {
    }

    public static String hash(String password) {
        return hash(password, ITERATIONS);
    }

    /**
     * A hash with fewer iterations, for secrets that a lock-out protects rather than the hash's cost (a handheld
     * PIN has 10^4..10^6 values whatever the cost; logging in a shift of pickers must stay quick).
     */
    public static String hash(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** Compares in constant time; false for a malformed hash. */
    public static boolean matches(String password, String encoded) {
        if (!isWellFormed(encoded)) {
            return false;
        }
        String[] parts = encoded.split(":");
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, pbkdf2(password, salt, Integer.parseInt(parts[1])));
    }

    public static boolean isWellFormed(String encoded) {
        if (encoded == null) {
            return false;
        }
        String[] parts = encoded.split(":");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            return Integer.parseInt(parts[1]) > 0 && Base64.getDecoder().decode(parts[2]).length > 0
                    && Base64.getDecoder().decode(parts[3]).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** Prints the hash of the password given as the argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: PasswordHashes <password>");
            System.exit(2);
        }
        System.out.println(hash(args[0]));
    }
}
