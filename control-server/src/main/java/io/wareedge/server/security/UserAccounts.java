package io.wareedge.server.security;

import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.wareedge.server.config.InvalidConfigurationException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users who may call the API: {@code wareedge.users} (a list of {@code username} + {@code password-hash}, see
 * {@link PasswordHashes}) and the convenience admin {@code admin} / {@code wareedge.admin-password}.
 * {@link io.wareedge.server.ControlServer} generates the admin password when neither is configured.
 */
@Singleton
public final class UserAccounts {
    public static final String ADMIN = "admin";

    private final Map<String, String> hashes = new HashMap<>();
    private final byte[] adminPassword;
    /** PBKDF2 is slow on purpose; HTTP Basic re-sends the password on every call, so remember what verified. */
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    UserAccounts(Environment environment) {
        List<Map> users = environment.getProperty("wareedge.users", Argument.listOf(Map.class)).orElse(List.of());
        for (int i = 0; i < users.size(); i++) {
            Map<?, ?> u = users.get(i);
            Object name = u.get("username");
            Object hash = u.get("password-hash") != null ? u.get("password-hash") : u.get("passwordHash");
            String key = "wareedge.users[" + i + "]";
            if (name == null || name.toString().isBlank()) {
                throw new InvalidConfigurationException(key + ".username", "is required", name);
            }
            if (hash == null || !PasswordHashes.isWellFormed(hash.toString())) {
                throw new InvalidConfigurationException(key + ".password-hash",
                        "must be pbkdf2-sha256:<iterations>:<salt>:<hash> (make one with io.wareedge.server.security.PasswordHashes)",
                        hash == null ? null : "<hidden>");
            }
            hashes.put(name.toString(), hash.toString());
        }
        Optional<String> admin = environment.getProperty("wareedge.admin-password", String.class).filter(s -> !s.isBlank());
        this.adminPassword = admin.map(s -> s.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** True when the user exists and the password is theirs. */
    public boolean authenticate(String username, String password) {
        if (username == null || password == null) {
            return false;
        }
        if (adminPassword != null && ADMIN.equals(username) && !hashes.containsKey(ADMIN)) {
            return MessageDigest.isEqual(adminPassword, password.getBytes(StandardCharsets.UTF_8));
        }
        String hash = hashes.get(username);
        if (hash == null) {
            return false;
        }
        String cacheKey = username + '\0' + hash + '\0' + password;
        return verified.computeIfAbsent(cacheKey, k -> PasswordHashes.matches(password, hash));
    }
}
