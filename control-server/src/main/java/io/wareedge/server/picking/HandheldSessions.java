package io.wareedge.server.picking;

import static io.wareedge.server.persistence.JdbcValues.strings;

import io.wareedge.server.config.PickingSettings;
import io.wareedge.server.picking.PickingException.Kind;
import io.wareedge.server.picking.PickingViews.LoginResult;
import io.wareedge.server.security.PasswordHashes;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Handheld log-in: a badge scan plus a PIN opens a session whose random token the handheld sends with every
 * request. Wrong PINs count per badge; after {@code pin-attempts} in a row the badge is locked for
 * {@code pin-lockout}. Only a hash of the token is stored.
 */
@Singleton
public final class HandheldSessions {
    private static final Logger LOG = LoggerFactory.getLogger(HandheldSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int MAX_CHECKED = 10_000;

    private final DataSource dataSource;
    private final PickingSettings settings;
    private final PickTasks tasks;
    /** Sessions this server found open recently, by token hash; read and written by any request thread. */
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private final long checkValidityNanos;

    private record Checked(String badge, long atNanos) {
    }

    public HandheldSessions(DataSource dataSource, PickingSettings settings, PickTasks tasks) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.tasks = tasks;
        // half the activity resolution, so that last_active_at lags activity by at most 1.5 resolutions
        this.checkValidityNanos = activityResolution().dividedBy(2).toNanos();
    }

    private void forgetBadge(String badge) {
        checked.values().removeIf(c -> c.badge().equals(badge));
    }

    public LoginResult login(String badge, String pin) throws SQLException {
        if (badge == null || badge.isBlank() || pin == null) {
            throw new PickingException(Kind.BAD_REQUEST, "scan your badge and enter your PIN");
        }
        String b = badge.strip();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                LoginResult result = login(c, b, pin);
                c.commit();
                if (result == null) {
                    throw wrongPin(c, b);
                }
                forgetBadge(b); // the session it replaced
                return result;
            } catch (SQLException | RuntimeException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            }
        }
    }

    /** Null when the PIN was wrong (the failure is counted and committed by the caller). */
    private LoginResult login(Connection c, String badge, String pin) throws SQLException {
        String hash;
        String name;
        List<String> zones;
        List<String> roles;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT pin_hash, name, zones, roles, locked_until > now(), locked_until FROM pickers
                WHERE badge = ? FOR UPDATE""")) {
            ps.setString(1, badge);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PickingException(Kind.UNAUTHORIZED, "unknown badge " + badge);
                }
                if (rs.getBoolean(5)) {
                    Instant until = rs.getTimestamp(6).toInstant();
                    throw new PickingException(Kind.LOCKED, "badge " + badge + " is locked after "
                            + settings.pinAttempts() + " wrong PINs until " + until + ": ask a supervisor");
                }
                hash = rs.getString(1);
                name = rs.getString(2);
                zones = strings(rs.getArray(3));
                roles = strings(rs.getArray(4));
            }
        }
        if (!PasswordHashes.matches(pin, hash)) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE pickers SET failed_pins = CASE WHEN failed_pins + 1 >= ? THEN 0 ELSE failed_pins + 1 END,
                        locked_until = CASE WHEN failed_pins + 1 >= ? THEN now() + make_interval(secs => ?)
                                            ELSE locked_until END
                    WHERE badge = ?""")) {
                ps.setInt(1, settings.pinAttempts());
                ps.setInt(2, settings.pinAttempts());
                ps.setDouble(3, settings.pinLockout().toMillis() / 1000.0);
                ps.setString(4, badge);
                ps.executeUpdate();
            }
            return null;
        }
        if (!roles.contains("picker")) {
            throw new PickingException(Kind.UNAUTHORIZED, "badge " + badge + " has no picker role");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE picker_sessions SET ended_at = now(), end_reason = 'replaced'
                WHERE badge = ? AND ended_at IS NULL""")) {
            ps.setString(1, badge);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE pickers SET failed_pins = 0 WHERE badge = ?")) {
            ps.setString(1, badge);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO picker_sessions (token_hash, badge) VALUES (?, ?)")) {
            ps.setString(1, hash(token));
            ps.setString(2, badge);
            ps.executeUpdate();
        }
        return new LoginResult(token, badge, name, zones);
    }

    private PickingException wrongPin(Connection c, String badge) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT failed_pins, locked_until > now() FROM pickers WHERE badge = ?")) {
            ps.setString(1, badge);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(2)) {
                    return new PickingException(Kind.LOCKED, "wrong PIN: badge " + badge + " is now locked for "
                            + settings.pinLockout().toMinutes() + " min");
                }
                int left = settings.pinAttempts() - rs.getInt(1);
                return new PickingException(Kind.UNAUTHORIZED, "wrong PIN (" + left + (left == 1 ? " attempt" : " attempts")
                        + " left before the badge is locked)");
            }
        }
    }

    /**
     * The badge of an open session, marking it active; empty for an unknown or ended token. A session seen open
     * by this server is taken as open for half the activity resolution (5 s with the default idle log-out) without
     * asking the database again (one round trip fewer per handheld request). Log-out, a new log-in of the badge
     * and idle log-out on this server forget it at once; one on another server shows here within that time, and
     * meanwhile the handheld gets no new work (a claim checks the session in the database) and cannot record on
     * the tasks its session gave back (a pick is written only on a task the picker holds).
     */
    public Optional<String> authenticate(String token) throws SQLException {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String tokenHash = hash(token.strip());
        long now = System.nanoTime();
        Checked recent = checked.get(tokenHash);
        if (recent != null && now - recent.atNanos() < checkValidityNanos) {
            return Optional.of(recent.badge());
        }
        Optional<String> badge = authenticateInDatabase(tokenHash);
        if (badge.isPresent()) {
            if (checked.size() >= MAX_CHECKED) {
                checked.clear(); // more open sessions than a site has handhelds: start over rather than grow
            }
            checked.put(tokenHash, new Checked(badge.get(), now));
        } else {
            checked.remove(tokenHash);
        }
        return badge;
    }

    private Optional<String> authenticateInDatabase(String tokenHash) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String badge;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT badge, last_active_at < now() - make_interval(secs => ?) FROM picker_sessions
                    WHERE token_hash = ? AND ended_at IS NULL""")) {
                ps.setDouble(1, activityResolution().toMillis() / 1000.0);
                ps.setString(2, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    badge = rs.getString(1);
                    if (!rs.getBoolean(2)) {
                        return Optional.of(badge);
                    }
                }
            }
            // Activity is written at most once per resolution: most requests only read (no commit to flush).
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE picker_sessions SET last_active_at = now() WHERE token_hash = ? AND ended_at IS NULL")) {
                ps.setString(1, tokenHash);
                return ps.executeUpdate() == 1 ? Optional.of(badge) : Optional.empty();
            }
        }
    }

    /** How stale {@code last_active_at} may be: a tenth of the idle time, at most 10 s. */
    private java.time.Duration activityResolution() {
        java.time.Duration tenth = settings.idleLogout().dividedBy(10);
        return tenth.compareTo(java.time.Duration.ofSeconds(10)) < 0 ? tenth : java.time.Duration.ofSeconds(10);
    }

    /** Ends the session and gives back the tasks its picker holds. */
    public void logout(String token) throws SQLException {
        String tokenHash = hash(token == null ? "" : token.strip());
        checked.remove(tokenHash);
        Optional<String> badge = end("token_hash = ?", tokenHash, "logout");
        if (badge.isPresent()) {
            tasks.release(badge.get());
        }
    }

    /** Ends sessions idle for longer than {@code idle-logout} and gives back their tasks; returns how many. */
    public int logoutIdle() throws SQLException {
        List<String> badges = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE picker_sessions SET ended_at = now(), end_reason = 'idle'
                     WHERE ended_at IS NULL AND last_active_at < now() - make_interval(secs => ?) RETURNING badge""")) {
            ps.setDouble(1, settings.idleLogout().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    badges.add(rs.getString(1));
                }
            }
        }
        for (String badge : badges) {
            forgetBadge(badge);
            int released = tasks.release(badge);
            LOG.info("picker {} idle for {}: logged out, {} tasks back to the pool", badge, settings.idleLogout(), released);
        }
        return badges.size();
    }

    private Optional<String> end(String where, String value, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE picker_sessions SET ended_at = now(), end_reason = ? WHERE "
                     + where + " AND ended_at IS NULL RETURNING badge")) {
            ps.setString(1, reason);
            ps.setString(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
