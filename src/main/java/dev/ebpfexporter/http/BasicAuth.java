package dev.ebpfexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@code basic_auth_users}: checks an {@code Authorization: Basic} header against bcrypt hashes.
 * bcrypt is slow by design (tens of ms at cost 10), so outcomes are cached briefly, keyed by a
 * SHA-256 of user, hash and password (never the password itself), as the exporter-toolkit caches
 * them; and comparisons run one at a time so a flood of wrong passwords cannot take every core.
 * Unknown users are checked against a fixed hash so they take as long as known ones.
 */
final class BasicAuth {
    static final long CACHE_NANOS = 60_000_000_000L;
    private static final int CACHE_LIMIT = 1024;

    private record Outcome(boolean ok, long expires) {
    }

    private final Map<String, String> users;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Outcome> cache = new ConcurrentHashMap<>();
    private final ReentrantLock bcryptLock = new ReentrantLock();
    private volatile long bcryptRuns;
    /** bcrypt of a random secret at the users' cost: makes unknown users cost as much as known ones. */
    private final String dummyHash;

    BasicAuth(Map<String, String> users) {
        this(users, System::nanoTime);
    }

    BasicAuth(Map<String, String> users, LongSupplier clock) {
        this.users = Map.copyOf(users);
        this.clock = clock;
        int cost = users.values().stream().mapToInt(h -> Integer.parseInt(h.substring(h.indexOf('$', 1) + 1,
                h.indexOf('$', 1) + 3))).max().orElse(4);
        byte[] secret = new byte[16];
        new java.security.SecureRandom().nextBytes(secret);
        this.dummyHash = users.isEmpty() ? "" : BCrypt.withDefaults().hashToString(Math.max(4, Math.min(cost, 31)),
                HexFormat.of().formatHex(secret).toCharArray());
    }

    /** Whether the {@code Authorization} header value (may be null) names a user with the right password. */
    boolean check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String hash = users.get(user);
        boolean known = hash != null;
        if (!known) {
            hash = dummyHash;
        }
        String key = cacheKey(user, hash, password);
        long now = clock.getAsLong();
        Outcome cached = cache.get(key);
        if (cached != null && now - cached.expires() < 0) {
            return cached.ok();
        }
        boolean ok;
        bcryptLock.lock();
        try {
            bcryptRuns++;
            ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                    hash.getBytes(StandardCharsets.UTF_8)).verified && known;
        } finally {
            bcryptLock.unlock();
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, new Outcome(ok, now + CACHE_NANOS));
        return ok;
    }

    /** How many bcrypt comparisons ran (for tests of the cache). */
    long bcryptRuns() {
        return bcryptRuns;
    }

    private static String cacheKey(String user, String hash, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{user, hash, password}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((byte) (bytes.length >>> 24));
                sha.update((byte) (bytes.length >>> 16));
                sha.update((byte) (bytes.length >>> 8));
                sha.update((byte) bytes.length);
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
